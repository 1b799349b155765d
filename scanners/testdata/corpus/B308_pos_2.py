from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def linebreaks_raw(value):
    return mark_safe(value.replace("\n", "<br>"))
