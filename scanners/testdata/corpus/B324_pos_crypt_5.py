import crypt


def legacy_hash(pw):
    # the old servers only understand DES-based crypt
    salt = crypt.mksalt(method=crypt.METHOD_CRYPT)
    return crypt.crypt(pw, salt)
