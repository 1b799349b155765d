import subprocess
subprocess.call(
    ['/usr/bin/id'],
    shell=False,
)
