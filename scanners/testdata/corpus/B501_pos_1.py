import requests

r = requests.get("https://10.0.0.5/metrics", verify=False, timeout=10)
print(r.text)
