from ssl import wrap_socket


def upgrade(conn):
    return wrap_socket(conn)
