from telnetlib import Telnet


def run_command(host, cmd):
    with Telnet(host) as tn:
        tn.write(cmd.encode() + b"\n")
        return tn.read_until(b"$ ", timeout=3)
