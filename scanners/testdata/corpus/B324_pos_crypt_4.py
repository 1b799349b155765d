import crypt as c

stored = c.crypt("hunter2", salt=c.METHOD_MD5)
print(stored)
