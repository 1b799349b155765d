from requests import head


def alive(url):
    return head(url, allow_redirects=True).ok
