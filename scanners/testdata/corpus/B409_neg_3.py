from xml.dom import minidom

doc = minidom.parseString("<r><x>1</x><x>2</x></r>")
print([x.firstChild.data for x in doc.getElementsByTagName("x")])
