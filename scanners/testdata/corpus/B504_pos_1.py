import socket
import ssl

sock = socket.create_connection(("example.com", 443))
tls = ssl.wrap_socket(sock)
