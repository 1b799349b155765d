import sys
import telnetlib


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    session = telnetlib.Telnet(host, port)
    session.interact()


if __name__ == "__main__":
    main()
