system('ls')
