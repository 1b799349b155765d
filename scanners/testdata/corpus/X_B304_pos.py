from Crypto.Cipher import DES
c = DES.new(key)
