import xml.dom.pulldom as pulldom

stream = pulldom.parseString("<r><x>1</x><x>2</x></r>")
print([n.tagName for ev, n in stream if ev == pulldom.START_ELEMENT])
