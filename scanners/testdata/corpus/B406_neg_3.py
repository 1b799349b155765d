from xml.parsers.expat import ExpatError, ParserCreate


def is_well_formed(text):
    p = ParserCreate()
    try:
        p.Parse(text, True)
        return True
    except ExpatError:
        return False
