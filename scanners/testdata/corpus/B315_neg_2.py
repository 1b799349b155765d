import xml.parsers.expat


def start(name, attrs):
    print("start", name, attrs)


p = xml.parsers.expat.ParserCreate()
p.StartElementHandler = start
p.Parse("<root><child a='1'/></root>", True)
