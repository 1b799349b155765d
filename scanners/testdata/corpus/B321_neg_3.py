def list_dir(ftp, path="/"):
    """List a directory on an already open ftplib.FTP connection."""
    ftp.cwd(path)
    return ftp.nlst()
