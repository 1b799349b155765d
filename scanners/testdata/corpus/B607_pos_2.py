import os
os.system('whoami')
