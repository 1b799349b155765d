import requests

resp = requests.get("https://api.example.com/status", timeout=10)
print(resp.json())
