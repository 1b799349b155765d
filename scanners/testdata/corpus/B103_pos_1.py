import os
os.chmod('/etc/app.conf', 0o777)
