import subprocess
subprocess.call([exe, 'arg'])
