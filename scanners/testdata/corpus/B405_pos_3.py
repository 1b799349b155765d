from xml.etree import ElementTree as ET

tree = ET.parse("pom.xml")
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
print(tree.getroot().findtext("m:version", namespaces=ns))
