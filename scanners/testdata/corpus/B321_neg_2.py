import paramiko


def sftp_upload(host, user, key_file, local, remote):
    transport = paramiko.Transport((host, 22))
    transport.connect(username=user, pkey=paramiko.RSAKey.from_private_key_file(key_file))
    sftp = paramiko.SFTPClient.from_transport(transport)
    sftp.put(local, remote)
    sftp.close()
    transport.close()
