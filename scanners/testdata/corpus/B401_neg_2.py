import paramiko


def ssh_banner(host):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host)
    return client.get_transport().remote_version
