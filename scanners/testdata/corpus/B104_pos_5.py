config = {'listen': '0.0.0.0'}
