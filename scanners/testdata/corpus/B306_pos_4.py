import tempfile
with open(tempfile.mktemp(), 'w') as f:
    f.write('x')
