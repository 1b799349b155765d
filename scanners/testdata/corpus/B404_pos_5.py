import sys, subprocess
