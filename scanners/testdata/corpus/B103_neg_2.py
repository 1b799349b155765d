import os
import stat
os.chmod('f.txt', stat.S_IRUSR | stat.S_IWUSR)
