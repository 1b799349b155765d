from xml.dom.pulldom import START_ELEMENT, parseString

doc = parseString("<list><i>1</i><i>2</i></list>")
print(sum(1 for ev, node in doc if ev == START_ELEMENT and node.tagName == "i"))
