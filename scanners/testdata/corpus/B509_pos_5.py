from pysnmp.hlapi import ContextData, SnmpEngine, UdpTransportTarget, UsmUserData, getCmd

iterator = getCmd(
    SnmpEngine(),
    UsmUserData("monitor", "authkey1"),
    UdpTransportTarget(("192.0.2.1", 161)),
    ContextData(),
)
