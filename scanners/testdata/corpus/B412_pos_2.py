from flask import Flask
from wsgiref.handlers import CGIHandler as Handler

app = Flask(__name__)


@app.route("/")
def index():
    return "ok"


if __name__ == "__main__":
    Handler().run(app)
