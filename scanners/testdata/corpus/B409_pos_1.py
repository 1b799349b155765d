from xml.dom import pulldom


def count_start_events(events):
    return sum(1 for ev, _ in events if ev == pulldom.START_ELEMENT)
