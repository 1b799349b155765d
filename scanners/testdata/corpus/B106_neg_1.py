connect(host='db', password=get_password())
