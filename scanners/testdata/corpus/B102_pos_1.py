exec('print(1)')
