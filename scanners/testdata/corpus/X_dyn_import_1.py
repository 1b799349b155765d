mod = __import__('pickle')
