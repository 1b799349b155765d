from xmlrpc.client import Fault, ServerProxy

api = ServerProxy("http://localhost:8069/xmlrpc/2/common")
try:
    print(api.version())
except Fault as err:
    print("fault", err.faultCode)
