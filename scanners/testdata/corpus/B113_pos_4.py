import httpx

with httpx.Client(timeout=None) as client:
    print(client.get("https://example.com").text)
