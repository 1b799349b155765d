from xml import sax


class TagPrinter(sax.ContentHandler):
    def startElement(self, name, attrs):
        print(name, dict(attrs))


sax.parseString(b"<a x='1'><b/></a>", TagPrinter())
