import subprocess
subprocess.run(cmd, shell=None)
