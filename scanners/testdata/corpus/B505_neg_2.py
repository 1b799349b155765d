from cryptography.hazmat.primitives.asymmetric import rsa

from settings import KEY_BITS

key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
