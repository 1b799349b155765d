import lxml.etree as ET


def parse_response(body: bytes):
    root = ET.fromstring(body)
    return {el.tag: el.text for el in root}
