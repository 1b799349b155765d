import urllib2

response = urllib2.urlopen("http://example.com/")
html = response.read()
print(html)
