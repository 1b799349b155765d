from pyghmi import exceptions as pygexc


def safe_power(conn):
    try:
        return conn.get_power()
    except pygexc.IpmiException as exc:
        return "error: %s" % exc
