import xml.dom.pulldom

for event, node in xml.dom.pulldom.parse("feed.xml"):
    if event == xml.dom.pulldom.START_ELEMENT:
        print(node.tagName)
