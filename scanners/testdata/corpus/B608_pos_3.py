sql = 'DELETE FROM logs WHERE day < {}'.format(day)
