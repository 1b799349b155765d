import ssl


def secure(sock):
    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1_2)
