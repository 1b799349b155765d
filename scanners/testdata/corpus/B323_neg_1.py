import ssl
import urllib.request

ssl._create_default_https_context = ssl._create_unverified_context
print(urllib.request.urlopen("https://example.com").status)
