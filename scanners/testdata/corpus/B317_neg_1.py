from xml.sax.saxutils import escape, quoteattr


def tag(name, text, **attrs):
    attr_str = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{name}{attr_str}>{escape(text)}</{name}>"


print(tag("a", "Tom & Jerry", href="/x?a=1&b=2"))
