for i in range(3):
    assert i < 3
