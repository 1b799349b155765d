from netmiko import ConnectHandler

device = {"device_type": "cisco_ios_telnet", "host": "10.0.0.1", "username": "admin"}
with ConnectHandler(**device) as conn:
    print(conn.send_command("show ip int brief"))
