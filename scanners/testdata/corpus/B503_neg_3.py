import ssl


def context(*, minimum=ssl.TLSVersion.TLSv1_2):
    ctx = ssl.create_default_context()
    ctx.minimum_version = minimum
    return ctx
