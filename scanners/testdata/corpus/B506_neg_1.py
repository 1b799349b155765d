import yaml
data = yaml.safe_load(text)
