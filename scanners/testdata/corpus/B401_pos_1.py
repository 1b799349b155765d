import socket
import telnetlib


def refuse_options(sock: socket.socket, data: bytes) -> None:
    i = 0
    while i < len(data) - 2:
        if data[i:i + 1] == telnetlib.IAC and data[i + 1:i + 2] == telnetlib.DO:
            sock.sendall(telnetlib.IAC + telnetlib.WONT + data[i + 2:i + 3])
            i += 3
        else:
            i += 1
