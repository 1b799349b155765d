import requests as rq

for name in ("a", "b"):
    rq.delete(f"https://example.com/items/{name}")
