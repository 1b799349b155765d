import yaml


def read(p):
    with open(p) as f:
        return yaml.load(f, yaml.UnsafeLoader)
