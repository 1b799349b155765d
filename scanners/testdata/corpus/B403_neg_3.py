from mypickle import load
