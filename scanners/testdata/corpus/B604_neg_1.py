run_command(cmd, shell=False)
