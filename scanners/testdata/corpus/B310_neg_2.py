import urllib.parse
import urllib.request

params = urllib.parse.urlencode({"q": "python"})
req = urllib.request.Request("https://example.com/search?" + params)
opener = urllib.request.build_opener()
print(opener.open(req).status)
