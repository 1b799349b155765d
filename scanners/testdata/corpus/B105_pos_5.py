class A:
    def __init__(self):
        self.api_token = 'xyz'
