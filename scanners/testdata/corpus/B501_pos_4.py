import requests


def upload(url, data):
    return requests.put(url, data=data, verify=False)
