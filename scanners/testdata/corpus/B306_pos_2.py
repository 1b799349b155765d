from tempfile import mktemp
p = mktemp(suffix='.txt')
