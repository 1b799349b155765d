import requests

resp = requests.get("https://api.example.com/status")
print(resp.status_code)
