CACHE_DIR = '/var/tmp/cache'
