import Crypto

print("pycryptodome", Crypto.__version__)
