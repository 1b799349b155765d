from django.utils.html import format_html


def bold(text):
    return format_html("<b>{}</b>", text)
