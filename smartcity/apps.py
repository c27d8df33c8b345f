from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class SmartcityConfig(AppConfig):
    name = "smartcity"
    verbose_name = _("Akıllı kent")

    def ready(self) -> None:
        """Asset kinds are registry layers (smartcity.layers): kinds a migration declares get theirs,
        and a kind's edited schema republishes its layer."""
        from smartcity.layers import after_migrate, kind_saved
        from smartcity.models import AssetKind

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="smartcity-asset-layers")
        post_save.connect(kind_saved, sender=AssetKind, dispatch_uid="smartcity-kind-republish")

        # assets are a layer source: published with their live state, edited in geo's map editor
        from smartcity.sources import register_sources

        register_sources()
