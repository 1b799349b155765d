from six.moves.urllib.request import urlopen


def get_page(url):
    return urlopen(url).read().decode("utf-8")
