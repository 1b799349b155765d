import html5lib


def page_title(source):
    doc = html5lib.parse(source, namespaceHTMLElements=False)
    return doc.findtext(".//title")
