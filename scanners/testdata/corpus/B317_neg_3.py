import io
from xml.sax.saxutils import XMLGenerator

out = io.StringIO()
gen = XMLGenerator(out, encoding="utf-8")
gen.startDocument()
gen.startElement("greeting", {})
gen.characters("hello")
gen.endElement("greeting")
gen.endDocument()
print(out.getvalue())
