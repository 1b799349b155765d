import tempfile
fd, p = tempfile.mkstemp()
