import ssl


class Client:
    def __init__(self, host, protocol=ssl.PROTOCOL_TLSv1_1, timeout=5):
        self.host = host
        self.protocol = protocol
        self.timeout = timeout
