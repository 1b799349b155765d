from telnetlib import Telnet as TelnetClient

client = TelnetClient("towel.blinkenlights.nl")
print(client.read_some())
