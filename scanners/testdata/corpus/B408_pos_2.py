import xml.dom.minidom


def pretty(xml_text):
    return xml.dom.minidom.parseString(xml_text).toprettyxml()
