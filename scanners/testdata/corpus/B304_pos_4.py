from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def rc4_stream(key, data):
    algo = algorithms.ARC4(key)
    encryptor = Cipher(algo, mode=None).encryptor()
    return encryptor.update(data)
