Runner(shell=True).start()
