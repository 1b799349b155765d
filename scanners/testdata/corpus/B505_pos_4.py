from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives.asymmetric import ec

key = ec.generate_private_key(curve=ec.SECT163K1, backend=default_backend())
