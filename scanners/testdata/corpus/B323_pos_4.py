import socket
import ssl as tls

context = tls._create_unverified_context()
with socket.create_connection(("localhost", 8443)) as sock:
    with context.wrap_socket(sock, server_hostname="localhost") as ssock:
        print(ssock.version())
