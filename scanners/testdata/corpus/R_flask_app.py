import os
import sqlite3
import hashlib
import subprocess
import json
from flask import Flask, request, jsonify

app = Flask(__name__)
DB_PATH = os.environ.get("DB_PATH", "app.db")


def get_db():
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


def hash_password(password, salt=None):
    """Hash a password with a salt."""
    if salt is None:
        salt = os.urandom(16).hex()
    digest = hashlib.sha256((salt + password).encode()).hexdigest()
    return salt, digest


@app.route("/users/<int:user_id>")
def get_user(user_id):
    db = get_db()
    cur = db.execute("SELECT id, name, email FROM users WHERE id = ?", (user_id,))
    row = cur.fetchone()
    if row is None:
        return jsonify({"error": "not found"}), 404
    return jsonify(dict(row))


@app.route("/search")
def search():
    term = request.args.get("q", "")
    db = get_db()
    query = "SELECT id, name FROM users WHERE name LIKE '%" + term + "%'"
    rows = db.execute(query).fetchall()
    return jsonify([dict(r) for r in rows])


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.check_output(["ping", "-c", "1", host])
    return out.decode()


def load_config(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except Exception:
        pass
    return {}


class Cache:
    def __init__(self, size=128):
        self.size = size
        self.data = {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    def put(self, key, value):
        if len(self.data) >= self.size:
            self.data.pop(next(iter(self.data)))
        self.data[key] = value


def compute(values):
    total = 0
    for i, v in enumerate(values):
        if v % 2 == 0:
            total += v * i
        else:
            total -= v
    return total


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 8080)))
