import pickle
blob = pickle.dumps(obj)
