import crypt
h = crypt.crypt(pw, crypt.METHOD_MD5)
