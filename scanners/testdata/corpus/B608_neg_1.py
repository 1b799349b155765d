cur.execute('SELECT * FROM users WHERE id = ?', (uid,))
