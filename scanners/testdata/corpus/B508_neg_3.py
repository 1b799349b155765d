from pysnmp.hlapi import ContextData, SnmpEngine

engine = SnmpEngine()
context = ContextData()
