from subprocess import Popen
p = Popen(['/bin/echo', 'hi'], shell=False)
