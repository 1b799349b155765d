import random
token = random.randint(0, 999999)
