from xml.dom.expatbuilder import FragmentBuilder


def parse_fragment(text, context_node):
    return FragmentBuilder(context_node).parseString(text)
