import defusedxml.ElementTree as ET


def load_settings(path):
    root = ET.parse(path).getroot()
    return {child.tag: child.text for child in root}
