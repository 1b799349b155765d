import os
os.startfile('report.pdf')
