import ssl


def upgrade(sock):
    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS)
