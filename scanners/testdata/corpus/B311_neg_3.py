import random
random.shuffle(items)
