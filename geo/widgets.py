"""The admin's map widget, air-gapped: OpenLayers from npm and Kent's own base map.

Django's stock GIS widgets load OpenLayers from a CDN and draw OpenStreetMap's or NASA's tiles,
neither of which a closed municipal network can reach."""

from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.forms.widgets import OpenLayersWidget


class KentMapWidget(OpenLayersWidget):
    base_layer = "kent"
    default_lon = 32.86
    default_lat = 39.93
    default_zoom = 13

    class Media:
        extend = False  # replace the CDN assets of OpenLayersWidget, don't add to them
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/dist/ol.js", "gis/js/OLMapWidget.js", "geo/kent-olwidget.js")

    def __init__(self, attrs: dict | None = None) -> None:
        attrs = dict(attrs or {})
        for key in ("default_lon", "default_lat", "default_zoom"):
            attrs.setdefault(key, getattr(self, key))
        super().__init__(attrs=attrs)


class KentGISModelAdmin(GISModelAdmin):
    """GISModelAdmin with Kent's local map widget; every geometry admin in Kent uses it."""

    gis_widget = KentMapWidget
