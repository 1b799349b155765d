import httpx

client = httpx.Client(verify=False)
print(client.get("https://self-signed.local").status_code)
