for x in items:
    try:
        f(x)
    except KeyError:
        continue
