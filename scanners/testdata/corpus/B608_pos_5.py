def add(db, v):
    db.execute("INSERT INTO items (v) VALUES ('%s')" % v)
