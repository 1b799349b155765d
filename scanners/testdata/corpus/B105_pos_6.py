creds = {'password': 'pw1'}
