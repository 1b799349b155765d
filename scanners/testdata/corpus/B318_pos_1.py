from xml.dom import minidom


def pretty(xml_text):
    return minidom.parseString(xml_text).toprettyxml(indent="  ")
