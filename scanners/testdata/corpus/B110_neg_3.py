try:
    f()
except Exception as e:
    print(e)
