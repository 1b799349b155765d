from pysnmp.hlapi import UsmUserData

user = UsmUserData("usr-none-none")
