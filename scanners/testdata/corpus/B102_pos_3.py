def run(src, env):
    exec(src, env)
