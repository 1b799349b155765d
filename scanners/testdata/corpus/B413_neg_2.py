from cryptography.fernet import Fernet

key = Fernet.generate_key()
f = Fernet(key)
print(f.decrypt(f.encrypt(b"hello")))
