connect(host='db', password='hunter2')
