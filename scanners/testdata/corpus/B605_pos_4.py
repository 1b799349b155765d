import os
os.popen(f'ping {host}')
