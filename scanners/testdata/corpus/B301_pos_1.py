import pickle
data = pickle.loads(blob)
