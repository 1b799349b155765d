from pysnmp import hlapi


def monitor_user(name):
    return hlapi.UsmUserData(name)
