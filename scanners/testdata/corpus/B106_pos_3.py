def main():
    db = Database(
        name='app',
        secret='s3'
    )
