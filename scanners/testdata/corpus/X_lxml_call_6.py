from lxml import etree
root = etree.fromstring(s)
