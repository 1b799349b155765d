from xml.dom import minidom

doc = minidom.Document()
doc.appendChild(doc.createElement("empty"))
print(doc.toxml())
