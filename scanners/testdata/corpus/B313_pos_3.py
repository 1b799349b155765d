from xml.etree.cElementTree import iterparse

total = 0
for event, elem in iterparse("huge.xml", events=("end",)):
    if elem.tag == "record":
        total += 1
        elem.clear()
print(total)
