import pickle
with open('m.pkl', 'rb') as fh:
    model = pickle.load(fh)
