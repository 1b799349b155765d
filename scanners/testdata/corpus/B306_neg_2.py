import tempfile
with tempfile.NamedTemporaryFile() as f:
    pass
