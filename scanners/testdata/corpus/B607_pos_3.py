import subprocess
subprocess.run('make', shell=True)
