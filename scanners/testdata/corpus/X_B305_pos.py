from cryptography.hazmat.primitives.ciphers import modes
m = modes.ECB()
