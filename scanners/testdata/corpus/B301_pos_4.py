import pickle as pk
u = pk.Unpickler(stream)
