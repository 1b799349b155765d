from xml.dom import pulldom

events = pulldom.parse("orders.xml")
for event, node in events:
    if event == pulldom.START_ELEMENT and node.tagName == "order":
        events.expandNode(node)
        print(node.toxml())
