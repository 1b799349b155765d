from xml.dom.minidom import parseString

raw = input("Paste XML: ")
doc = parseString(raw)
print(doc.documentElement.nodeName)
