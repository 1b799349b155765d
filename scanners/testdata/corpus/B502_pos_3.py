from OpenSSL import SSL

ctx = SSL.Context(method=SSL.TLSv1_1_METHOD)
