import ftplib

ftps = ftplib.FTP_TLS("ftp.example.com")
ftps.login()
ftps.prot_p()
ftps.retrlines("LIST")
ftps.quit()
