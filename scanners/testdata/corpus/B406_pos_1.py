import xml.sax


class WordCounter(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.words = 0

    def characters(self, content):
        self.words += len(content.split())
