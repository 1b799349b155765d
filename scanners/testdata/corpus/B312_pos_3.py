import telnetlib as tl


class Router:
    def __init__(self, host):
        self.conn = tl.Telnet()
        self.conn.open(host, 23)

    def close(self):
        self.conn.close()
