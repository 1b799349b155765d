import subprocess
out = subprocess.check_output(
    'cat ' + path,
    shell=True,
)
