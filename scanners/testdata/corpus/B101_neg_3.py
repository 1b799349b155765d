message = 'assert x'
print(message)
