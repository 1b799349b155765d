from django.utils.html import escape, mark_safe


def quote(text):
    return mark_safe("<blockquote>" + escape(text) + "</blockquote>")
