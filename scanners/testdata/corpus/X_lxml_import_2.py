import lxml.html


def page_title(source):
    doc = lxml.html.document_fromstring(source)
    return doc.findtext(".//title")
