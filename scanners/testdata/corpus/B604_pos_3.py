run_command(cmd, shell=True)
