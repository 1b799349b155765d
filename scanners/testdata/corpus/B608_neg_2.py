msg = 'Hello %s, welcome' % name
