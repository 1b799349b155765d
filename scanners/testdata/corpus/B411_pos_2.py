from xmlrpc.server import SimpleXMLRPCServer


def add(a, b):
    return a + b


with SimpleXMLRPCServer(("localhost", 8000)) as server:
    server.register_function(add)
    server.serve_forever()
