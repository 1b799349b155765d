import xml.sax
xml.sax.parseString(data, handler)
