import xml.sax


class Handler(xml.sax.ContentHandler):
    def characters(self, content):
        print(content, end="")


xml.sax.parse("notes.xml", Handler())
