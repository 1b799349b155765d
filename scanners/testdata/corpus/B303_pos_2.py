from Cryptodome.Hash import SHA
d = SHA.new(data)
