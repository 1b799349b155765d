import requests

session = requests.Session()
session.verify = "/etc/ssl/certs/ca-bundle.crt"
resp = session.get("https://example.com", timeout=3)
