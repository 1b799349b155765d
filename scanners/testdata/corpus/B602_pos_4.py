from subprocess import run
run(f'echo {x}', shell=True)
