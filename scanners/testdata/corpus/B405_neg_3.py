import xmltodict

with open("config.xml", "rb") as fh:
    cfg = xmltodict.parse(fh)
print(cfg["config"]["name"])
