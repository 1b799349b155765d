connect(password=None)
