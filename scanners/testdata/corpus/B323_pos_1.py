import ssl
import urllib.request

ctx = ssl._create_unverified_context()
with urllib.request.urlopen("https://self-signed.badssl.com/", context=ctx) as r:
    print(r.status)
