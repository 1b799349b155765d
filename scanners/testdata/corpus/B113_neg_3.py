import httpx

r = httpx.get("https://example.com/health")
print(r.status_code)
