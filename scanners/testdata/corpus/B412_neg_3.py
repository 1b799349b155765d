from twisted.web import server
from twisted.web.static import File
from twisted.internet import reactor

site = server.Site(File("public"))
reactor.listenTCP(8080, site)
reactor.run()
