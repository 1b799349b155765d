from pyOpenSSL import SSL

ctx = SSL.Context(method=SSL.SSLv23_METHOD)
ctx.use_privatekey_file("server.key")
