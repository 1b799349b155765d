from cryptography.hazmat.primitives.hashes import SHA1
algo = SHA1()
