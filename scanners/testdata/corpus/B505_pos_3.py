from cryptography.hazmat.primitives.asymmetric import dsa


def signing_key():
    return dsa.generate_private_key(512)
