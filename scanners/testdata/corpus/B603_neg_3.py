run(['ls'])
