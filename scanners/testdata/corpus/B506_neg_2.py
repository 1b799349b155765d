import yaml
data = yaml.load(text, Loader=yaml.SafeLoader)
