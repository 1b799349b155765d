from pysnmp.hlapi import CommunityData, ContextData, SnmpEngine, UdpTransportTarget, getCmd

iterator = getCmd(
    SnmpEngine(),
    CommunityData("public", mpModel=0),
    UdpTransportTarget(("demo.snmplabs.com", 161)),
    ContextData(),
)
