import pyghmi.ipmi.command as ipmi_command


def power_cycle(host, user, pw):
    conn = ipmi_command.Command(bmc=host, userid=user, password=pw)
    conn.set_power("boot")
