for line in open('a.txt'):
    try:
        n = int(line)
    except:
        continue
