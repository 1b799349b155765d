from pickle import loads
obj = loads(payload)
