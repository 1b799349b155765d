from ssl import _create_unverified_context
from urllib.request import urlopen


def fetch(url):
    return urlopen(url, context=_create_unverified_context()).read()
