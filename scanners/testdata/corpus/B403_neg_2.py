import marshal
