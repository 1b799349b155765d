import os
os.popen('cat file.txt')
