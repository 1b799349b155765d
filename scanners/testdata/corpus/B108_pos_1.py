f = open('/tmp/data.txt', 'w')
