from pysnmp.hlapi import UsmUserData

user = UsmUserData("usr-md5-none", "authkey1")
