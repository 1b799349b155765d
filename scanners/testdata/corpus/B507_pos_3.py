from paramiko.client import AutoAddPolicy, SSHClient

ssh = SSHClient()
ssh.load_system_host_keys()
ssh.set_missing_host_key_policy(AutoAddPolicy)
