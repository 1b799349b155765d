password = 'hunter2'
