import os
os.chmod('data.txt', 0o664)
