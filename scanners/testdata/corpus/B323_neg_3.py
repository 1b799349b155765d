import socket
import ssl

ctx = ssl.create_default_context(cafile="ca.pem")
with socket.create_connection(("example.com", 443)) as sock:
    with ctx.wrap_socket(sock, server_hostname="example.com") as s:
        print(s.getpeercert()["subject"])
