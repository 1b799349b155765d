try:
    f()
except Exception:
    log()
    pass
