import urllib3

http = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")
r = http.request("GET", "https://example.com")
print(r.status)
