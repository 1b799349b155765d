import xml.dom.pulldom as pd

for ev, node in pd.parseString(open("a.xml").read()):
    if ev == pd.CHARACTERS:
        print(node.data.strip())
