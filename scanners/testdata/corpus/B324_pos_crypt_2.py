import crypt

salt = crypt.mksalt(crypt.METHOD_MD5)
print(crypt.crypt(input("password: "), salt))
