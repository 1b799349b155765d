from inventory.snmp import UsmUserData

user = UsmUserData("monitor")
