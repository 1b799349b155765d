try:
    import foo
except ValueError:
    raise
except:
    pass
