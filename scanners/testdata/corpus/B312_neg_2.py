import paramiko


def run(host, user, cmd):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host, username=user)
    _, stdout, _ = client.exec_command(cmd)
    return stdout.read().decode()
