import random
rng = random.Random(42)
