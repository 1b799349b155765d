import zipfile

with zipfile.ZipFile("bundle.zip") as zf:
    zf.extractall("bundle")
