import xml.dom.expatbuilder as eb


def element_names(xml_bytes):
    doc = eb.parseString(xml_bytes)
    return sorted({n.tagName for n in doc.getElementsByTagName("*")})
