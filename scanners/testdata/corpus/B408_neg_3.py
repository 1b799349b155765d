import html5lib

doc = html5lib.parse("<p>Hello<b>world</b></p>", treebuilder="dom")
print(doc.getElementsByTagName("b")[0].firstChild.data)
