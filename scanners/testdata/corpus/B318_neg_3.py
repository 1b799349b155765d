import xml.dom.minidom

impl = xml.dom.minidom.getDOMImplementation()
doc = impl.createDocument(None, "report", None)
doc.documentElement.setAttribute("version", "1")
print(doc.toxml())
