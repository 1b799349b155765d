import subprocess
subprocess.Popen(['/usr/bin/git', 'pull'])
