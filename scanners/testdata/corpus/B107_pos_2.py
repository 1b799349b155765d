def connect(host, port=5432, db_pass='postgres'):
    pass
