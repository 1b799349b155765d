import lxml

print("lxml", lxml.__version__)
