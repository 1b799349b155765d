from xml.etree import cElementTree


def count_tags(xml_text):
    root = cElementTree.fromstring(xml_text)
    return sum(1 for _ in root.iter())
