import yaml as y
y.load(s)
