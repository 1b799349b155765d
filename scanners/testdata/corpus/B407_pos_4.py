import xml.dom.expatbuilder as expatbuilder
from xml.dom.xmlbuilder import Options

opts = Options()
opts.entities = False
builder = expatbuilder.makeBuilder(opts)
print(type(builder).__name__)
