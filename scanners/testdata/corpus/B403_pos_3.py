from pickle import dumps
