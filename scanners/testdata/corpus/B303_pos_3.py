from cryptography.hazmat.primitives import hashes
h = hashes.Hash(hashes.MD5())
