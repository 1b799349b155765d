api.configure(client_secret='zzz')
