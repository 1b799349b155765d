import marshal
with open('c.bin', 'rb') as f:
    obj = marshal.load(f)
