import xml.etree.ElementTree as ET

root = ET.Element("feed")
ET.SubElement(root, "title").text = "News"
print(ET.tostring(root).decode())
