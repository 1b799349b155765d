from Crypto.Cipher import AES

cipher = AES.new(b"YELLOW SUBMARINE", AES.MODE_ECB)
print(cipher.decrypt(bytes(16)).hex())
