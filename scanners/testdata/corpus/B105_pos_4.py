def login(pwd):
    if pwd == 'letmein':
        return True
