import secrets
token = secrets.token_hex(16)
