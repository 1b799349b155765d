ftp_mod = __import__("ftplib")
print(ftp_mod.FTP_PORT)
