from lxml import html


def links(page_source):
    doc = html.fromstring(page_source)
    return doc.xpath("//a/@href")
