import random
pw = ''.join(random.choice(chars) for _ in range(8))
