path = f'/tmp/{name}.log'
