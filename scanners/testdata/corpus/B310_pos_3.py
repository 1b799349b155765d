import urllib.request as request

req = request.Request("https://example.com/api", headers={"User-Agent": "bot"})
body = request.urlopen(req, timeout=10).read()
print(len(body))
