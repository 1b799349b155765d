import subprocess
subprocess.Popen(['git', 'pull'])
