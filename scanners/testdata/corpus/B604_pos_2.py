def spawn(c):
    return utils.execute(c, shell=True)
