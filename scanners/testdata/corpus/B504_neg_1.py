import socket
import ssl

sock = socket.create_connection(("example.com", 443))
tls = ssl.create_default_context().wrap_socket(sock, server_hostname="example.com")
