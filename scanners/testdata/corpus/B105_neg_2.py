username = 'admin'
