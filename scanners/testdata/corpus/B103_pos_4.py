from os import chmod
chmod('run.sh', 0o710)
