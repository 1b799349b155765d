import subprocess
subprocess.run(['/usr/bin/ls', '-l'])
