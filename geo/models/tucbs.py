"""The TUCBS theme catalogue: codes, names and the attributes each theme requires.

Validation consults this table (data, not if-chains); rows are loaded by a data migration from
`geo.tucbs_catalogue`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TucbsTheme(models.Model):
    code = models.CharField(_("kod"), max_length=8, primary_key=True)
    name_tr = models.CharField(_("ad (Türkçe)"), max_length=120)
    name_en = models.CharField(_("ad (İngilizce)"), max_length=120)
    required_attributes = models.JSONField(
        _("zorunlu öznitelikler"), default=list, blank=True,
        help_text=_("Bu temadaki her detayın taşıması gereken öznitelik adları."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("TUCBS teması")
        verbose_name_plural = _("TUCBS temaları")

    def __str__(self) -> str:
        return f"{self.code} {self.name_tr}"
