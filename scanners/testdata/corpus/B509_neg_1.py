from pysnmp.hlapi import UsmUserData

user = UsmUserData("usr-md5-des", "authkey1", "privkey1")
