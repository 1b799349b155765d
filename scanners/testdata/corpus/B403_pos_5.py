import os, pickle
