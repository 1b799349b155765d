import subprocess


def f(a):
    return subprocess.check_call(a)
