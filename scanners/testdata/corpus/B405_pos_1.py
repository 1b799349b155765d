import xml.etree.ElementTree as ET

root = ET.Element("html")
body = ET.SubElement(root, "body")
ET.SubElement(body, "p").text = "Hello"
print(ET.tostring(root, encoding="unicode"))
