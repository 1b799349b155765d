from xml.dom import Node


def element_children(node):
    return [c for c in node.childNodes if c.nodeType == Node.ELEMENT_NODE]
