from ftplib import FTP


def download(host, remote, local):
    with FTP(host) as ftp:
        ftp.login()
        with open(local, "wb") as fh:
            ftp.retrbinary("RETR " + remote, fh.write)
