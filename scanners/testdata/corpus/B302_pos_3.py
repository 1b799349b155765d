from marshal import loads
loads(b)
