import subprocess
subprocess.call('ls -l', shell=True)
