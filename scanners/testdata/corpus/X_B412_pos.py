from wsgiref.handlers import CGIHandler
