assert isinstance(1, int), 'must be int'
