from random import random
r = random()
