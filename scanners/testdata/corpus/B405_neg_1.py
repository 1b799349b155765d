from defusedxml.ElementTree import ParseError, fromstring


def safe_parse(text):
    try:
        return fromstring(text)
    except ParseError:
        return None
