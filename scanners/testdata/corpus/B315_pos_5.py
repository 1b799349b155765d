import io
import xml.sax.expatreader


def parse_bytes(data, handler):
    reader = xml.sax.expatreader.create_parser()
    reader.setContentHandler(handler)
    reader.parse(io.BytesIO(data))
