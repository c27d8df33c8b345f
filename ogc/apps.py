from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OgcConfig(AppConfig):
    """The OGC outlet: pygeoapi mounted in Django (Features, Records, Tiles) with Kent's provider."""

    name = "ogc"
    verbose_name = _("OGC servisleri")
