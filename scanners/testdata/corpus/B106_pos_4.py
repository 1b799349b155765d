set_credentials(token="t0k3n")
