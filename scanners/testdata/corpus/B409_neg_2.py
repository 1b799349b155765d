from xml.dom import Node


def count_text_nodes(node):
    if node.nodeType == Node.TEXT_NODE:
        return 1
    return sum(count_text_nodes(c) for c in node.childNodes)
