import marshal
b = marshal.dumps([1, 2])
