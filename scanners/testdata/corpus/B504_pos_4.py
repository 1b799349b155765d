import ssl as tls

secure = tls.wrap_socket(conn, cert_reqs=tls.CERT_REQUIRED, ca_certs="ca.pem")
