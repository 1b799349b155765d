import xml.etree.ElementTree as ET
root = ET.Element('a')
