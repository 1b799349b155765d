import paramiko.client


def open_session(host):
    c = paramiko.client.SSHClient()
    c.set_missing_host_key_policy(paramiko.client.WarningPolicy())
    c.connect(host)
    return c
