import sys
from xml.dom.pulldom import parse

stream = parse(sys.stdin)
depth = 0
for event, _ in stream:
    if event == "START_ELEMENT":
        depth += 1
print(depth)
