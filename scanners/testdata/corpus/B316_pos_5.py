import sys
from xml.dom.expatbuilder import parse

with open(sys.argv[1], "rb") as fh:
    dom = parse(fh)
print(dom.toxml()[:200])
