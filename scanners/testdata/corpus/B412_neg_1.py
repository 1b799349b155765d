from wsgiref.simple_server import make_server


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


with make_server("localhost", 8000, app) as httpd:
    httpd.serve_forever()
