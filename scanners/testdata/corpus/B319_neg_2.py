def first_record(stream):
    """Return the first <record> of a pulldom.parse() event stream."""
    for event, node in stream:
        if event == "START_ELEMENT" and node.tagName == "record":
            stream.expandNode(node)
            return node
    return None
