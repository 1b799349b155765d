import xml.etree.ElementTree as ET


def to_xml(scores):
    root = ET.Element("scores")
    for name, value in sorted(scores.items()):
        ET.SubElement(root, "player", name=name).text = str(value)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


print(to_xml({"ann": 3, "bob": 5}))
