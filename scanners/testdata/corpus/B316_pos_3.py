from xml.dom.expatbuilder import parseString

doc = parseString(open("menu.xml").read(), namespaces=False)
for node in doc.getElementsByTagName("item"):
    print(node.getAttribute("price"))
