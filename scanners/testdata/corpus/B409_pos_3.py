from xml.dom.pulldom import END_ELEMENT, START_ELEMENT


def max_depth(events):
    depth = best = 0
    for ev, _ in events:
        if ev == START_ELEMENT:
            depth += 1
            best = max(best, depth)
        elif ev == END_ELEMENT:
            depth -= 1
    return best
