from django.utils import safestring


def render_badge(label, color):
    html = f'<span class="badge" style="color:{color}">{label}</span>'
    return safestring.mark_safe(html)
