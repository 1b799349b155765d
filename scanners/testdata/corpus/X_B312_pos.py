import telnetlib
t = telnetlib.Telnet('host')
