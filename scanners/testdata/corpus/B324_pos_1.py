import hashlib
h = hashlib.md5(data).hexdigest()
