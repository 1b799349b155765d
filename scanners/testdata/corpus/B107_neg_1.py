def login(user, password=None):
    pass
