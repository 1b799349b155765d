import hashlib
h = hashlib.new('sha1', b'data')
