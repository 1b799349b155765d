from defusedxml import ElementTree
ElementTree.parse('a.xml')
