minidom = __import__("xml.dom.minidom", fromlist=["minidom"])

doc = minidom.Document()
print(doc.createComment("generated").toxml())
