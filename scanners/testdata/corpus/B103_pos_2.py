import os
os.chmod('key.pem', 0o755)
