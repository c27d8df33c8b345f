"""Admin for kiosks: where each stands (latitude/longitude typed in, since the admin's map widget
would load OpenLayers from a CDN), its name, idle time and home zoom, with a link to its page."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rehber.models import Kiosk


class KioskForm(forms.ModelForm):
    latitude = forms.FloatField(label=_("enlem"), min_value=-90, max_value=90,
                                help_text=_("WGS84 derece, ör. 39.86034"))
    longitude = forms.FloatField(label=_("boylam"), min_value=-180, max_value=180,
                                 help_text=_("WGS84 derece, ör. 32.92050"))

    class Meta:
        model = Kiosk
        fields = ("kiosk_id", "name", "latitude", "longitude", "idle_seconds", "home_zoom", "active")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.location:
            self.initial["latitude"] = self.instance.location.y
            self.initial["longitude"] = self.instance.location.x

    def save(self, commit: bool = True) -> Kiosk:
        d = self.cleaned_data
        self.instance.location = Point(d["longitude"], d["latitude"], srid=settings.STORAGE_SRID)
        return super().save(commit)


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    form = KioskForm
    list_display = ("kiosk_id", "name", "idle_seconds", "home_zoom", "active", "page")
    list_filter = ("active",)
    search_fields = ("kiosk_id", "name")

    @admin.display(description=_("sayfa"))
    def page(self, obj: Kiosk) -> str:
        url = reverse("rehber-kiosk", args=[obj.kiosk_id])
        return format_html('<a href="{}">{}</a>', url, url)
