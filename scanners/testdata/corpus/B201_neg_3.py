import bottle

app = bottle.Bottle()
app.run(host="localhost", port=8080, debug=True)
