while True:
    try:
        break
    except Exception as err:
        continue
