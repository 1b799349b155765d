from xml.etree import ElementTree

for event, elem in ElementTree.iterparse("log.xml"):
    if elem.tag == "error":
        print(elem.attrib.get("code"), elem.text)
