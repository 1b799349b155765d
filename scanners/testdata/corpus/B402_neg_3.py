from fsspec.implementations.ftp import FTPFileSystem

fs = FTPFileSystem(host="ftp.example.com")
print(fs.ls("/pub"))
