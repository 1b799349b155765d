import importlib
sp = importlib.import_module('subprocess')
