import os

from pyghmi.ipmi import command

bmc = command.Command(bmc="10.0.0.20", userid="admin", password=os.environ["BMC_PASS"])
print(bmc.get_power())
