from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_block(key, block):
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    enc = cipher.encryptor()
    return enc.update(block) + enc.finalize()
