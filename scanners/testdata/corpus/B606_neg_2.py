import os
os.path.exists('/bin/ls')
