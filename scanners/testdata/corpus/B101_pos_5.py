x = 1
if x:
    assert (x ==
            1)
