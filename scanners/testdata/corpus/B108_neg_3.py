p = 'tmp/file.txt'
