import shelve
db = shelve.open('data')
