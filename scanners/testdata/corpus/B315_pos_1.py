import xml.sax.expatreader

parser = xml.sax.expatreader.create_parser()
parser.setContentHandler(xml.sax.ContentHandler())
parser.parse("input.xml")
