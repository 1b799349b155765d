import ftplib as fl
import os


def upload(host, user, path):
    conn = fl.FTP(host, user, os.environ["FTP_PASS"])
    with open(path, "rb") as fh:
        conn.storbinary("STOR " + os.path.basename(path), fh)
    conn.quit()
