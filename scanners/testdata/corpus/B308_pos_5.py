import django.utils.safestring
from django.contrib import admin


class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "thumbnail")

    def thumbnail(self, obj):
        return django.utils.safestring.mark_safe(f'<img src="{obj.image_url}" width="50">')
