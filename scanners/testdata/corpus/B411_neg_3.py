import json
from http.server import BaseHTTPRequestHandler, HTTPServer


class RPCHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        result = sum(req["params"])
        self.send_response(200)
        self.end_headers()
        self.wfile.write(json.dumps({"result": result}).encode())


HTTPServer(("localhost", 8000), RPCHandler).serve_forever()
