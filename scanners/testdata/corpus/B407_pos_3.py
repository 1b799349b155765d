from xml.dom.expatbuilder import ExpatBuilderNS

builder = ExpatBuilderNS()
doc = builder.parseFile(open("atom.xml", "rb"))
print(doc.documentElement.namespaceURI)
