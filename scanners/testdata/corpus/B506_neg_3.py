import yaml
data = yaml.load(text, yaml.CSafeLoader)
