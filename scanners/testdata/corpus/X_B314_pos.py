import xml.etree.ElementTree as ET
tree = ET.parse('a.xml')
