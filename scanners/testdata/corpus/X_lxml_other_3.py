from bs4 import BeautifulSoup


def titles(markup):
    soup = BeautifulSoup(markup, "lxml")
    return [h.get_text(strip=True) for h in soup.find_all("h2")]
