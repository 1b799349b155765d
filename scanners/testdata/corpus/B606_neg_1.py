import os
pid = os.fork()
