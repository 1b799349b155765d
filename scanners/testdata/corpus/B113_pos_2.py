import requests


def post_event(url, payload):
    r = requests.post(url, json=payload, timeout=None)
    r.raise_for_status()
    return r.json()
