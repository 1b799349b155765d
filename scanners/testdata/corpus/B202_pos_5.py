import sys
import tarfile

tarfile.open(sys.argv[1]).extractall()
