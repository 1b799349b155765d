import subprocess as sp
sp.check_call(['/bin/sh', '-c', cmd], shell=1)
