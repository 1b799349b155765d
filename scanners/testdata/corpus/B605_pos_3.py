from os import popen
out = popen(cmd).read()
