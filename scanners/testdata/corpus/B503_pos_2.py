from OpenSSL import SSL


def make_context(method=SSL.SSLv3_METHOD):
    return SSL.Context(method)
