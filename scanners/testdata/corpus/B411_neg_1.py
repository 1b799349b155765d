import json
import urllib.request

payload = json.dumps({"jsonrpc": "2.0", "method": "add", "params": [1, 2], "id": 1}).encode()
req = urllib.request.Request("http://localhost:4000/rpc", data=payload)
with urllib.request.urlopen(req) as resp:
    print(json.load(resp)["result"])
