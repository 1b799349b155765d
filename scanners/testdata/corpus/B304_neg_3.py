import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def encrypt(key, plaintext):
    nonce = os.urandom(16)
    cipher = Cipher(algorithms.ChaCha20(key, nonce), mode=None)
    return nonce + cipher.encryptor().update(plaintext)
