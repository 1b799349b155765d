from xml.dom.minidom import Document

doc = Document()
root = doc.createElement("inventory")
doc.appendChild(root)
item = doc.createElement("item")
item.appendChild(doc.createTextNode("apple"))
root.appendChild(item)
print(doc.toprettyxml(indent="  "))
