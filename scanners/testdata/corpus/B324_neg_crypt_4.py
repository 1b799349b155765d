from passlib.hash import md5_crypt

h = md5_crypt.hash("letmein")
print(md5_crypt.verify("letmein", h))
