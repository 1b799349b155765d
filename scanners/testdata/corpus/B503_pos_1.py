import socket
import ssl


def connect(host, port=443, version=ssl.PROTOCOL_TLSv1):
    ctx = ssl.SSLContext(version)
    return ctx.wrap_socket(socket.create_connection((host, port)), server_hostname=host)
