import tarfile

with tarfile.open("upload.tar") as tar:
    tar.extractall("upload", filter="data")
