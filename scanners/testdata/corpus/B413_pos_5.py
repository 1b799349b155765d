import Crypto.Util.number

p = Crypto.Util.number.getPrime(512)
q = Crypto.Util.number.getPrime(512)
print(p * q)
