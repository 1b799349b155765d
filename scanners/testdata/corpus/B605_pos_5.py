import commands
out = commands.getoutput(cmd)
