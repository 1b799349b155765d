import sys

from pyghmi.ipmi.command import Command

host, user, pw = sys.argv[1:4]
for sensor in Command(bmc=host, userid=user, password=pw).get_sensor_data():
    print(sensor.name, sensor.value, sensor.units)
