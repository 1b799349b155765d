import importlib

command = importlib.import_module("pyghmi.ipmi.command")
print(command.Command)
