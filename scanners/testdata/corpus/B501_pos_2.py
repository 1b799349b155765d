import requests

resp = requests.post(
    "https://internal.example/api",
    json={"a": 1},
    timeout=5,
    verify=False,
)
