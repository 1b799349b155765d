from paramiko import SSHClient, WarningPolicy

ssh = SSHClient()
ssh.set_missing_host_key_policy(WarningPolicy)
