import json
data = json.loads(blob)
