from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

cipher = Cipher(
    algorithms.Blowfish(b"sixteen byte key"),
    modes.ECB(),
)
print(cipher.encryptor().update(b"8 bytes!").hex())
