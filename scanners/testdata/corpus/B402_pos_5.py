import os, ftplib

with ftplib.FTP(os.environ.get("FTP_HOST", "localhost")) as ftp:
    ftp.login()
    print(ftp.getwelcome())
