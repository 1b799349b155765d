@decorator
def auth(pwd='1234'):
    pass
