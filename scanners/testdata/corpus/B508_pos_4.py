from pysnmp import hlapi


def credentials(community):
    return hlapi.CommunityData(community, mpModel=1)
