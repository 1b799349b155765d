from pysnmp.hlapi import UsmUserData, usmHMACSHAAuthProtocol

user = UsmUserData("usr-sha-none", "authkey1", authProtocol=usmHMACSHAAuthProtocol)
