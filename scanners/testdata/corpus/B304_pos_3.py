from Cryptodome.Cipher import Blowfish
from Cryptodome.Util.Padding import pad


def encrypt(key: bytes, data: bytes, iv: bytes) -> bytes:
    cipher = Blowfish.new(key, Blowfish.MODE_CBC, iv)
    return cipher.encrypt(pad(data, Blowfish.block_size))
