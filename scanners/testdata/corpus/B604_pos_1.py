helper.execute('ls', shell=True)
