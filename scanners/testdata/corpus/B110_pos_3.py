try:
    f()
except Exception as e:
    pass
