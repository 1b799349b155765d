cur.execute("SELECT name FROM t WHERE name = '" + name + "'")
