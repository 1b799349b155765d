import xml.etree.ElementTree as ET

parser = ET.XMLParser(target=ET.TreeBuilder())
with open("books.xml", "rb") as fh:
    for chunk in iter(lambda: fh.read(4096), b""):
        parser.feed(chunk)
root = parser.close()
print(root.tag)
