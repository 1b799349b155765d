import defusedxml.sax
from xml.sax.handler import ContentHandler


class Printer(ContentHandler):
    def startElement(self, name, attrs):
        print(name)


defusedxml.sax.parseString(b"<a><b/></a>", Printer())
