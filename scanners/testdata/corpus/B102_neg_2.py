def exec_task(t):
    return t


exec_task(1)
