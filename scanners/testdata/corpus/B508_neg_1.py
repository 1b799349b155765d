from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol

auth = UsmUserData("admin", "authkey123", "privkey123",
                   authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
