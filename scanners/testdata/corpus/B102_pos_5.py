exec(compile('x = 1', '<s>', 'exec'))
