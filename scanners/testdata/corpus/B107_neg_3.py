def login(user, *, password='admin'):
    pass
