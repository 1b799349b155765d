import crypt


def hash_password(pw):
    return crypt.crypt(pw, crypt.METHOD_CRYPT)
