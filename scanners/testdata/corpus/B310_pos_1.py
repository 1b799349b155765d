import json
import urllib.request


def fetch_json(url):
    with urllib.request.urlopen(url) as resp:
        return json.load(resp)
