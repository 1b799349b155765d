import marshal as m
m.loads(x)
