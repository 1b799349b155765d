from defusedxml import expatbuilder

doc = expatbuilder.parseString("<a/>")
print(doc.documentElement.tagName)
