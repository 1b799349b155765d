from xml.dom import expatbuilder

doc = expatbuilder.parseString("<a><b/></a>")
print(doc.documentElement.tagName)
