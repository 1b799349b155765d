from Cryptodome.PublicKey import DSA

key = DSA.generate(bits=1024)
