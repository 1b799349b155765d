import ast
v = ast.literal_eval(s)
