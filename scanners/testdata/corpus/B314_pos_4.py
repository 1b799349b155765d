import xml.etree.ElementTree


class Feed:
    def __init__(self, text):
        self.root = xml.etree.ElementTree.fromstring(text)

    def titles(self):
        return [t.text for t in self.root.iter("title")]
