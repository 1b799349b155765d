import subprocess
subprocess.check_output(args)
