import tarfile

tar = tarfile.open("data.tar")
wanted = [m for m in tar.getmembers() if m.isfile()]
tar.extractall(path="data", members=wanted)
tar.close()
