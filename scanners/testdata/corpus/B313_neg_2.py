import xml.etree.cElementTree as ET

root = ET.Element("catalog")
for i, title in enumerate(["Dune", "Emma"]):
    book = ET.SubElement(root, "book", id=str(i))
    book.text = title
print(ET.tostring(root, encoding="unicode"))
