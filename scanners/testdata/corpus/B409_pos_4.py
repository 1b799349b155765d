import importlib

pulldom = importlib.import_module("xml.dom.pulldom")
print(pulldom.START_ELEMENT)
