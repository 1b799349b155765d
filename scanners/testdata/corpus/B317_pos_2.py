from xml.sax import make_parser
from xml.sax.handler import ContentHandler


class LinkCollector(ContentHandler):
    def __init__(self):
        super().__init__()
        self.links = []

    def startElement(self, name, attrs):
        if name == "a" and "href" in attrs:
            self.links.append(attrs["href"])


parser = make_parser()
collector = LinkCollector()
parser.setContentHandler(collector)
parser.parse("page.xhtml")
print(collector.links)
