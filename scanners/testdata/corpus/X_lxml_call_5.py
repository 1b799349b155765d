import io

import lxml.etree


def validate(xml_bytes, xsd_path):
    schema = lxml.etree.XMLSchema(lxml.etree.parse(xsd_path))
    doc = lxml.etree.parse(io.BytesIO(xml_bytes))
    return schema.validate(doc)
