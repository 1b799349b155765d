from xml.sax.handler import ContentHandler, feature_external_ges

import defusedxml.sax


class Names(ContentHandler):
    def startElement(self, name, attrs):
        print(name)


parser = defusedxml.sax.make_parser()
parser.setFeature(feature_external_ges, False)
parser.setContentHandler(Names())
parser.parse("people.xml")
