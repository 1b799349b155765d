import urllib.request
urllib.request.urlopen(url)
