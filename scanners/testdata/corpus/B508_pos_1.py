from pysnmp.hlapi import CommunityData

auth = CommunityData("public", mpModel=0)
