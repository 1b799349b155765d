import xml.etree.cElementTree as etree

parser = etree.XMLParser(encoding="utf-8")
parser.feed("<a><b>1</b></a>")
root = parser.close()
print(root.find("b").text)
