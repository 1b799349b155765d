from flask import Flask

app = Flask("svc")
app.run(
    host="127.0.0.1",
    debug=True,
)
