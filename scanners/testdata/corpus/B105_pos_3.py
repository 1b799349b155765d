settings = {}
settings['db_password'] = 's3cr3t'
