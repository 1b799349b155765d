import pyghmi
