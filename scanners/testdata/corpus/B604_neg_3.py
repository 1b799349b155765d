run_command(cmd, use_shell=True)
