import ftplib


def secure_list(host):
    with ftplib.FTP_TLS(host) as ftps:
        ftps.login()
        ftps.prot_p()
        return ftps.nlst()
