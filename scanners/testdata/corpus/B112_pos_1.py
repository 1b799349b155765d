for x in items:
    try:
        f(x)
    except:
        continue
