import socket


def telnet_banner(host, port=23):
    """Grab the login banner like telnetlib would, with a raw socket."""
    with socket.create_connection((host, port), timeout=5) as s:
        return s.recv(1024)
