from Crypto.Cipher import ARC4

key = bytes.fromhex(input("key (hex): "))
rc4 = ARC4.new(key)
print(rc4.encrypt(b"attack at dawn").hex())
