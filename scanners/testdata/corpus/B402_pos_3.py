from ftplib import all_errors


def safe_quit(conn):
    try:
        conn.quit()
    except all_errors:
        conn.close()
