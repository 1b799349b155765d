import cryptography.hazmat.primitives.ciphers.modes as cipher_modes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

mode = cipher_modes.ECB()
cipher = Cipher(algorithms.AES(b"0123456789abcdef"), mode)
print(cipher.encryptor().update(b"YELLOW SUBMARINE").hex())
