import hashlib
h = hashlib.md5(b'x', usedforsecurity=False)
