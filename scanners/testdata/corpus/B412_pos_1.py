from wsgiref.handlers import CGIHandler


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello from cgi"]


CGIHandler().run(app)
