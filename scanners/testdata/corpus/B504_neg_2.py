import ssl

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_default_certs()


def upgrade(sock, host):
    return ctx.wrap_socket(sock, server_hostname=host)
