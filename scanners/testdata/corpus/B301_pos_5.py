import dill
x = dill.loads(b)
