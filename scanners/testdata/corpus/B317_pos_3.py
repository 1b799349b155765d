import xml.sax as sax


def count_elements(xml_bytes):
    counts = {}

    class H(sax.ContentHandler):
        def startElement(self, name, attrs):
            counts[name] = counts.get(name, 0) + 1

    sax.parseString(xml_bytes, H())
    return counts
