import subprocess
subprocess.getoutput('/usr/bin/uptime')
