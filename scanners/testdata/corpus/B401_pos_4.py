import importlib

mod = importlib.import_module("telnetlib")
print(mod.TELNET_PORT)
