from xml.sax.expatreader import create_parser


def make_reader(handler):
    reader = create_parser()
    reader.setContentHandler(handler)
    return reader
