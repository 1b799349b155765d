import xml.etree.ElementTree as ET

tree = ET.ElementTree()
root = tree.parse("data.xml")
print(root.tag)
