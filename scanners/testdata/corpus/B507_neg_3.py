import paramiko


class PinnedPolicy(paramiko.MissingHostKeyPolicy):
    def missing_host_key(self, client, hostname, key):
        raise paramiko.SSHException("unknown host " + hostname)


client = paramiko.SSHClient()
client.set_missing_host_key_policy(PinnedPolicy())
