from xml.dom import Node


def text_of(node):
    if node.nodeType == Node.TEXT_NODE:
        return node.data
    return "".join(text_of(c) for c in node.childNodes)
