from lxml import etree

tree = etree.parse("catalog.xml")
for book in tree.xpath("//book[price>10]"):
    print(book.findtext("title"))
