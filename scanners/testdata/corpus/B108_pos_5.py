log = '/tmp'
