from Crypto.PublicKey import RSA

key = RSA.generate(2048)
with open("public.pem", "wb") as fh:
    fh.write(key.publickey().export_key())
