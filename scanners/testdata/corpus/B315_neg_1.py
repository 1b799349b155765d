from xml.sax.expatreader import ExpatParser

parser = ExpatParser()
parser.setFeature("http://xml.org/sax/features/external-general-entities", False)
parser.parse("doc.xml")
