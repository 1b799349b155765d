from lxml import etree

parser = etree.XMLParser(resolve_entities=False, no_network=True)
root = etree.XML(b"<config><debug>0</debug></config>", parser)
print(root.findtext("debug"))
