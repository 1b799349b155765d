import sys
import xml.sax

parser = xml.sax.make_parser()
parser.setContentHandler(xml.sax.handler.ContentHandler())
parser.parse(sys.stdin)
