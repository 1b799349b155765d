import xml.dom.expatbuilder


def load(path):
    return xml.dom.expatbuilder.parse(path)
