result = eval('1 + 2')
