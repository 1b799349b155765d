import marshal
f = lambda b: marshal.loads(b)
