from pysnmp.hlapi import CommunityData

auth = CommunityData("private", mpModel=1)
