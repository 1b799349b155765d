from django.utils.safestring import mark_safe as safe


class Comment:
    def __init__(self, body):
        self.body = body

    def rendered(self):
        return safe(self.body)
