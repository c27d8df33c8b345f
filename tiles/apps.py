from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = _("Harita karoları")

    def ready(self) -> None:
        # cache invalidation hears geo's edit history; geo never calls into tiles
        from geo.editor.mapbase import register_backgrounds

        from . import backgrounds, signals

        signals.connect()
        register_backgrounds(backgrounds.backgrounds)   # the base map and imagery of every map page
