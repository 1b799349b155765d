telnet = __import__("telnetlib")

conn = telnet.Telnet("localhost", 2323)
print(conn.read_some())
