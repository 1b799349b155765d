import sys
from wsgiref.handlers import SimpleHandler


def app(environ, start_response):
    start_response("200 OK", [])
    return [b"ok"]


handler = SimpleHandler(sys.stdin.buffer, sys.stdout.buffer, sys.stderr, {"REQUEST_METHOD": "GET"})
handler.run(app)
