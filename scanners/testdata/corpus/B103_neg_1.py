import os
os.chmod('secret.key', 0o600)
