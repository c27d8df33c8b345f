from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "geo"
    verbose_name = _("Katmanlar (CBS)")

    def ready(self) -> None:
        """The feature store is the first layer source; the domain apps register theirs."""
        from geo.editor.backends import FeatureStoreEditing
        from geo.sources import FeatureStoreSource, register

        register(FeatureStoreSource(editing=FeatureStoreEditing()))
