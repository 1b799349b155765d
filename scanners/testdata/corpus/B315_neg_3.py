from defusedxml import expatreader

reader = expatreader.create_parser()
reader.parse("upload.xml")
