import hashlib
h = hashlib.sha256(b'x')
