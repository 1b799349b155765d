import xml.sax.saxutils as saxutils

row = {"name": "O'Brien", "city": "Cork & Kerry"}
attrs = " ".join(f"{k}={saxutils.quoteattr(v)}" for k, v in row.items())
print(f"<person {attrs}/>")
