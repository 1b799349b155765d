from telnetlib import IAC, NOP


def keepalive(sock):
    sock.sendall(IAC + NOP)
