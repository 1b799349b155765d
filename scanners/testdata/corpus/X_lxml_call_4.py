from lxml import etree

parser = etree.getDefaultParser()
doc = etree.XML(b"<a><b>1</b></a>", parser)
print(etree.tostring(doc, pretty_print=True).decode())
