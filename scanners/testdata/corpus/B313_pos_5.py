import sys
import xml.etree.cElementTree

doc = xml.etree.cElementTree.parse(sys.stdin)
print(doc.getroot().tag)
