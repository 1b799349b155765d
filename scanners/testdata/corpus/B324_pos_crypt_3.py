from crypt import METHOD_BLOWFISH, crypt, mksalt


def make_hash(password):
    return crypt(password, mksalt(METHOD_BLOWFISH))
