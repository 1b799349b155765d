import yaml
cfg = yaml.load(open('c.yml'))
