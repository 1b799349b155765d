import defusedxml.sax


def parse_feed(path, handler):
    parser = defusedxml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.parse(path)
