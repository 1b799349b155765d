import functools
import ssl


@functools.lru_cache()
def context(protocol=ssl.PROTOCOL_TLSv1):
    return ssl.SSLContext(protocol)
