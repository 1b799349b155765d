import xml.dom.minidom as md


class Config:
    def __init__(self, path):
        self.doc = md.parse(path)

    def get(self, key):
        nodes = self.doc.getElementsByTagName(key)
        return nodes[0].firstChild.nodeValue if nodes else None
