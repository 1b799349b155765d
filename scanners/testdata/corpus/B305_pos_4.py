import base64

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def aes_ecb_decrypt(data, key):
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    return decryptor.update(data) + decryptor.finalize()


with open("7.txt") as fh:
    blob = base64.b64decode(fh.read())
print(aes_ecb_decrypt(blob, b"YELLOW SUBMARINE").decode())
