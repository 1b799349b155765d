from xml.etree.ElementTree import ParseError

from defusedxml.ElementTree import fromstring


def safe_parse(text):
    try:
        return fromstring(text)
    except ParseError:
        return None
