# telnetlib was removed in Python 3.13: use the vendored copy
from vendor import telnetlib

tn = telnetlib.Telnet("10.0.0.1")
tn.write(b"show version\n")
print(tn.read_very_eager())
