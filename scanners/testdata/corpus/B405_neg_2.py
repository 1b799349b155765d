from lxml import etree

root = etree.Element("root")
etree.SubElement(root, "child").text = "x"
print(etree.tostring(root))
