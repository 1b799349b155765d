from xml.sax import ContentHandler, parseString


class Echo(ContentHandler):
    def startElement(self, name, attrs):
        print("<" + name + ">")


parseString(b"<root><leaf/></root>", Echo())
