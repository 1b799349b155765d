run_command(cmd)
