import xml.etree.cElementTree as cET


def build(items):
    root = cET.Element("items")
    for it in items:
        cET.SubElement(root, "item").text = it
    return cET.tostring(root)
