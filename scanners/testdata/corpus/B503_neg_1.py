import ssl


def context(protocol=ssl.PROTOCOL_TLS_CLIENT):
    return ssl.SSLContext(protocol)
