import requests

body = "<?xml version='1.0'?><methodCall><methodName>demo.sayHello</methodName></methodCall>"
resp = requests.post("https://example.com/xmlrpc.php", data=body, timeout=10)
print(resp.status_code)
