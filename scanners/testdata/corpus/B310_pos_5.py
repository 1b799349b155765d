import urllib.request

opener = urllib.request.FancyURLopener()
filename, _ = opener.retrieve("http://example.com/data.csv")
print(open(filename).read()[:100])
