from ftplib import FTP_TLS

ftps = FTP_TLS("ftp.example.org")
ftps.login()
ftps.prot_p()
print(ftps.pwd())
ftps.quit()
