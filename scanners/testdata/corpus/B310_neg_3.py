from urllib.parse import urljoin, urlparse

base = "https://example.com/docs/"
for link in ["intro.html", "../about", "https://other.org/x"]:
    full = urljoin(base, link)
    print(full, urlparse(full).netloc)
