p = '/home/user/tmp/file'
