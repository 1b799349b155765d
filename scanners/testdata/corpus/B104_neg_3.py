def f():
    "0.0.0.0"
    return 1
