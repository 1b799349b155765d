import pyghmi
import pyghmi.ipmi.console


def open_sol(host, user, pw, handler):
    return pyghmi.ipmi.console.Console(bmc=host, userid=user, password=pw, iohandler=handler)
