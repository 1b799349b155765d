import ftplib


class Mirror:
    def __init__(self, host):
        self.ftp = ftplib.FTP(timeout=30)
        self.ftp.connect(host, 21)
        self.ftp.login()

    def listing(self):
        return self.ftp.nlst()
