import os
os.makedirs('/dev/shm/app')
