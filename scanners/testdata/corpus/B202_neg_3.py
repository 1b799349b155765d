import tarfile

with tarfile.open("logs.tar") as tar:
    member = tar.getmember("logs/today.txt")
    tar.extract(member, "logs", filter="data")
