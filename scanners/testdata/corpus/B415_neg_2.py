import os

import redfish

client = redfish.redfish_client(base_url="https://bmc.example.com", username="admin", password=os.environ["BMC_PASS"])
client.login()
print(client.get("/redfish/v1/Systems/1").dict["PowerState"])
