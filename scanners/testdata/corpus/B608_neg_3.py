QUERY = 'SELECT * FROM users'
