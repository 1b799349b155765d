import hashlib
h = hashlib.new('sha512')
