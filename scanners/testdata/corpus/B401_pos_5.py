try:
    import telnetlib
except ImportError:  # Python 3.13+
    telnetlib = None


def connect(host):
    if telnetlib is None:
        raise RuntimeError("telnetlib is not available")
    return telnetlib.Telnet(host)
