connect(user='admin', timeout='30')
