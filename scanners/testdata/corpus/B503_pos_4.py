import ssl


def serve(cert: str, proto: int = ssl.PROTOCOL_SSLv2) -> None:
    ctx = ssl.SSLContext(proto)
    ctx.load_cert_chain(cert)
