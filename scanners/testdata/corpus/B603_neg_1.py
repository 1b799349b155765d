import subprocess
null = subprocess.DEVNULL
