from xml.dom import expatbuilder

dom = expatbuilder.parseString("<cfg><port>8080</port></cfg>")
print(dom.getElementsByTagName("port")[0].firstChild.data)
