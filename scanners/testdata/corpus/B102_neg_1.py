cursor.execute('SELECT 1')
