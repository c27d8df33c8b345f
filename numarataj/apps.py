from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumaratajConfig(AppConfig):
    name = "numarataj"
    verbose_name = _("Numarataj (MAKS adres kayıt)")

    def ready(self) -> None:
        from numarataj.sources import register_sources

        register_sources()
