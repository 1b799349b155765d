import ssl


def context(protocol=None):
    ctx = ssl.create_default_context()
    if protocol is not None:
        ctx.minimum_version = protocol
    return ctx
