password = input('Password: ')
