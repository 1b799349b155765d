def evaluate(e):
    return e


evaluate('1')
