from twisted.web.twcgi import CGIDirectory


def make_resource(path):
    return CGIDirectory(path)
