import xml.dom.minidom

dom = xml.dom.minidom.parse("students.xml")
for s in dom.getElementsByTagName("student"):
    print(s.getAttribute("name"), s.getAttribute("grade"))
