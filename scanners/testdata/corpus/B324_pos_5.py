from hashlib import md5
d = md5(b'x').digest()
