for x in items:
    try:
        f(x)
    except Exception:
        print(x)
        continue
