passwords_file = 'users.txt'
if user == 'admin':
    pass
