from lxml.etree import fromstring

svg = fromstring(open("icon.svg", "rb").read())
print(svg.get("width"), svg.get("height"))
