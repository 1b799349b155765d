from OpenSSL import SSL

ctx = SSL.Context(SSL.TLS_METHOD)
ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
