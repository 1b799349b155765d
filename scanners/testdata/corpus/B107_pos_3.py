class C:
    def __init__(self, token='abc'):
        self.t = token
