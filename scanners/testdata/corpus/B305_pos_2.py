from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.modes import ECB

KEY = bytes(range(16))


def decrypt(ct):
    dec = Cipher(algorithms.AES(KEY), ECB()).decryptor()
    return dec.update(ct) + dec.finalize()
