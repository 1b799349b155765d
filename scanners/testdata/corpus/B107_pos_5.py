def f(a, b='x', secret='y'):
    pass
