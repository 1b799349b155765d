import random as rnd
n = rnd.uniform(0, 1)
