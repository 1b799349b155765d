import os
os.chmod(path, 511)
