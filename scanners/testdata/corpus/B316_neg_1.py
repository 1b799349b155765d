from xml.dom.expatbuilder import ExpatBuilder

builder = ExpatBuilder()
doc = builder.parseString("<note><to>Tove</to></note>")
print(doc.documentElement.firstChild.tagName)
