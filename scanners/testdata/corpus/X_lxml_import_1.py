from lxml import etree

root = etree.Element("feed")
etree.SubElement(root, "title").text = "News"
print(etree.tostring(root, pretty_print=True).decode())
