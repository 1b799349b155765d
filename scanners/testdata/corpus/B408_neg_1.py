from defusedxml.minidom import parseString


def pretty(xml_text):
    return parseString(xml_text).toprettyxml()
