import wsgiref.handlers


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html")])
    return [b"<h1>It works</h1>"]


wsgiref.handlers.CGIHandler().run(application)
