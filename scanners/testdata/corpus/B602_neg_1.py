import subprocess
subprocess.call(['ls', '-l'], shell=False)
