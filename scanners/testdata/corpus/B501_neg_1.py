import requests

r = requests.get("https://internal.example", verify="/etc/ssl/internal-ca.pem", timeout=5)
print(r.ok)
