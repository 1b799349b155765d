from xml.etree.ElementTree import Element, SubElement, tostring


def to_xml(rows):
    table = Element("table")
    for row in rows:
        tr = SubElement(table, "tr")
        for cell in row:
            SubElement(tr, "td").text = str(cell)
    return tostring(table)
