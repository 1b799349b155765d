from yaml import load
data = load(text)
