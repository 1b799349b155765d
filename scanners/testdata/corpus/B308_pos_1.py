from django.utils.safestring import mark_safe


def bold(text):
    return mark_safe("<b>%s</b>" % text)
