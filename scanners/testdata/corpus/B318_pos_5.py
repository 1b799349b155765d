from xml.dom.minidom import parse as parse_xml

with open("rss.xml") as fh:
    feed = parse_xml(fh)
titles = [t.firstChild.data for t in feed.getElementsByTagName("title")]
print("\n".join(titles))
