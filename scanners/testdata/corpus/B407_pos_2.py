import xml.dom.expatbuilder


def make_builder():
    return xml.dom.expatbuilder.ExpatBuilder()
