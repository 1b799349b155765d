import xmlrpc.client
