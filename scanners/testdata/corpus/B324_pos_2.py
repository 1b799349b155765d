import hashlib
h = hashlib.sha1(b'abc')
