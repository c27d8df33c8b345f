from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RehberConfig(AppConfig):
    """The public city guide and its touch kiosks."""

    name = "rehber"
    verbose_name = _("Kent rehberi")
