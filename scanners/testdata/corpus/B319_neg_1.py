from defusedxml import pulldom

events = pulldom.parse("orders.xml")
for event, node in events:
    if event == "START_ELEMENT" and node.tagName == "order":
        events.expandNode(node)
        print(node.toxml())
