"""Admin of imagery records (imports run through `manage.py import_imagery`, which writes the COG)."""

from django.contrib.gis import admin

from .models import Imagery


@admin.register(Imagery)
class ImageryAdmin(admin.GISModelAdmin):
    list_display = ("slug", "title", "attribution", "acquired", "published", "updated_at")
    list_filter = ("published",)
    search_fields = ("slug", "title", "attribution")
    readonly_fields = ("file", "source_crs", "width", "height", "band_count", "dtype", "created_at", "updated_at")
