import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

key = os.urandom(16)
iv = os.urandom(8)
cipher = Cipher(algorithms.Blowfish(key), modes.CBC(iv))
enc = cipher.encryptor()
ct = enc.update(b"8 bytes!") + enc.finalize()
print(ct.hex())
