from xml.dom import pulldom

for event, node in pulldom.parseString("<a><b/></a>"):
    print(event, node.nodeName)
