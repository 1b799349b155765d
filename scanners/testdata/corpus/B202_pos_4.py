import tarfile

with tarfile.open("release.tar.gz", "r:gz") as archive:
    archive.extractall("release", filter="fully_trusted")
