import requests

session = requests.Session()
resp = session.get("https://example.com", timeout=(3.05, 27))
print(resp.status_code)
