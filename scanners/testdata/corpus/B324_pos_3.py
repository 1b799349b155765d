import hashlib
h = hashlib.new('md5')
