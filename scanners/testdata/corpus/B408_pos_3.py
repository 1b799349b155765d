from xml.dom.minidom import Document, Element


def is_element(node):
    return isinstance(node, Element)


doc = Document()
print(is_element(doc.createElement("x")))
