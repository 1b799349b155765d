from defusedxml.ElementTree import parse

tree = parse("feed.xml")
print(tree.getroot().tag)
