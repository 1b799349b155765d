from xml.sax import expatreader, handler


class TitleHandler(handler.ContentHandler):
    def startElement(self, name, attrs):
        if name == "title":
            print("found title")


reader = expatreader.create_parser()
reader.setContentHandler(TitleHandler())
reader.parse("books.xml")
