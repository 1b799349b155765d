from monitoring.snmp import CommunityData

auth = CommunityData("public", mpModel=0)
