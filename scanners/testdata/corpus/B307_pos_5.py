print(eval(line.strip()))
