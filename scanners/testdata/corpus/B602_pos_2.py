import subprocess
subprocess.Popen(cmd, shell=True)
