import tempfile
d = tempfile.mkdtemp()
