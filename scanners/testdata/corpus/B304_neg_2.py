from Cryptodome.Cipher import DES3


def triple_des(key, data):
    key = DES3.adjust_key_parity(key)
    cipher = DES3.new(key, DES3.MODE_EAX)
    return cipher.nonce, cipher.encrypt(data)
