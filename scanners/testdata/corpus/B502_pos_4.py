import ssl

from myproject.net import open_tls

conn = open_tls("db.internal", 5432, ssl_version=ssl.PROTOCOL_TLSv1)
