import ftplib
ftp = ftplib.FTP('host')
