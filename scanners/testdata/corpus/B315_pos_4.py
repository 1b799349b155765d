import xml.sax.expatreader as expat_reader
from xml.sax.handler import ContentHandler


class Counter(ContentHandler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def startElement(self, name, attrs):
        self.count += 1


c = Counter()
p = expat_reader.create_parser()
p.setContentHandler(c)
p.parse("sitemap.xml")
print(c.count)
