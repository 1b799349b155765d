import tempfile


def tmpname():
    return tempfile.mktemp(prefix='job')
