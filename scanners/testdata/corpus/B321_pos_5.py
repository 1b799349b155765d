from ftplib import FTP as Client, error_perm

try:
    c = Client("ftp.gnu.org")
    c.login()
    print(c.nlst()[:5])
except error_perm as exc:
    print("denied:", exc)
