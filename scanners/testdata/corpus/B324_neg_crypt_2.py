import crypt
import hmac


def check(pw, stored):
    return hmac.compare_digest(crypt.crypt(pw, stored), stored)


print(crypt.crypt("correct horse"))
