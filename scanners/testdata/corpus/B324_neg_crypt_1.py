import crypt


def hash_password(pw):
    return crypt.crypt(pw, crypt.mksalt(crypt.METHOD_SHA512))
