import xml.etree.cElementTree as ET

tree = ET.parse("config.xml")
for item in tree.getroot().iter("item"):
    print(item.get("name"), item.text)
