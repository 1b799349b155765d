from flask import Flask
from flask_restful import Api

application = Flask(__name__)
api = Api(application)
application.run(port=8000, debug=True)
