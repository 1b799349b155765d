import xml.dom.pulldom


def iter_items(path):
    stream = xml.dom.pulldom.parse(path)
    for event, node in stream:
        if event == xml.dom.pulldom.START_ELEMENT and node.tagName == "item":
            stream.expandNode(node)
            yield node
