import pysnmp.hlapi as hlapi

auth = hlapi.CommunityData("public", mpModel=0)
