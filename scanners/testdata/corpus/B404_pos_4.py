from subprocess import Popen, PIPE
