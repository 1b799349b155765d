import tarfile


def safe_members(tar):
    for m in tar.getmembers():
        if not m.name.startswith(("/", "..")):
            yield m


with tarfile.open("bundle.tgz") as tar:
    tar.extractall("out", members=safe_members(tar))
