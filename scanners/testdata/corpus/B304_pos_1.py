from Crypto.Cipher import DES


def encrypt_block(key, block):
    cipher = DES.new(key, DES.MODE_ECB)
    return cipher.encrypt(block)
