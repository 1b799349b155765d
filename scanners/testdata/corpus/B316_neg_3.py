from xml.dom import minidom

doc = minidom.parseString("<a><b>x</b></a>")
print(doc.getElementsByTagName("b")[0].firstChild.data)
