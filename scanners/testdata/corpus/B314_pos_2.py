from xml.etree.ElementTree import fromstring

data = input()
root = fromstring(data)
print(root.tag, len(root))
