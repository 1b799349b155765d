import ssl


class Client:
    def __init__(self, verify=True):
        if verify:
            self.ctx = ssl.create_default_context()
        else:
            self.ctx = ssl._create_unverified_context()
