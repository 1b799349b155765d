import telnetlib

HOST = "192.168.1.10"

tn = telnetlib.Telnet(HOST, 23, timeout=5)
tn.read_until(b"login: ")
tn.write(b"admin\n")
print(tn.read_all().decode("ascii"))
