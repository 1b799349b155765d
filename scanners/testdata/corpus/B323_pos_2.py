import http.client
import ssl


def get(host, path):
    conn = http.client.HTTPSConnection(host, context=ssl._create_unverified_context())
    conn.request("GET", path)
    return conn.getresponse().read()
