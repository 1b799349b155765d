runner.exec('x')
