import Crypto.Hash.MD4
Crypto.Hash.MD4.new()
