marshal_loads = None
loads(x)
