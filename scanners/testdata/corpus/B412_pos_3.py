from twisted.web import resource, server
from twisted.web.twcgi import CGIScript
from twisted.internet import reactor

root = resource.Resource()
root.putChild(b"status", CGIScript("cgi-bin/status.sh"))
reactor.listenTCP(8080, server.Site(root))
reactor.run()
