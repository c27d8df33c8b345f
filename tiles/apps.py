from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = _("Harita karoları")

    def ready(self) -> None:
        # cache invalidation hears geo's edit history; geo never calls into tiles
        from . import signals

        signals.connect()
