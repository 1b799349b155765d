import json
json.load(fh)
