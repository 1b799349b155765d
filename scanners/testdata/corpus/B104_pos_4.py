def serve(addr='0.0.0.0'):
    return addr
