from xml.sax.saxutils import escape


def li(items):
    return "\n".join("<li>" + escape(i) + "</li>" for i in items)


print(li(["a < b", "fish & chips"]))
