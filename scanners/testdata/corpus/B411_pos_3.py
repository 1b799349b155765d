from xmlrpc import client


def pypi_versions(name):
    pypi = client.ServerProxy("https://pypi.org/pypi")
    return pypi.package_releases(name)
