class A:
    def f(self, v):
        assert v, "empty"
