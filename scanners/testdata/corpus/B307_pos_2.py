def calc(expr):
    return eval(expr)
