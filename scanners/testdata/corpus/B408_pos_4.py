import xml.dom.minidom as dom

impl = dom.getDOMImplementation()
doc = impl.createDocument(None, "svg", None)
doc.documentElement.setAttribute("width", "100")
print(doc.toxml())
