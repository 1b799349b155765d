import socket
import ssl

raw = socket.socket()
conn = ssl.wrap_socket(
    raw,
    ca_certs="ca.pem",
)
