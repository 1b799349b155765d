mod = __import__(name)
