from cryptography.hazmat.primitives import hashes
h = hashes.Hash(hashes.SHA256())
