import ssl


def server_socket(sock):
    return ssl.wrap_socket(sock, keyfile="key.pem", certfile="cert.pem", server_side=True)
