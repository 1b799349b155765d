import os
os.chmod('f.txt', 0o644)
