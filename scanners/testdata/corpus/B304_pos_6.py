import cryptography.hazmat.primitives.ciphers.algorithms as algs


def make_idea(key):
    return algs.IDEA(key)
