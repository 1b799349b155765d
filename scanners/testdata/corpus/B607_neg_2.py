import os
os.system('./build.sh')
