"""Personal access tokens: how a staff member's desktop GIS (QGIS) edits through OGC API Features
Part 4 as that person. The secret is shown once at creation; only its SHA-256 is kept
(`geo.services.tokens`), like agency tokens, and a different prefix tells the two apart."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .stored_token import StoredToken


class UserToken(StoredToken):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kent_tokens",
                             verbose_name=_("kullanıcı"))
    label = models.CharField(_("etiket"), max_length=100, blank=True, help_text=_("Ör. 'QGIS, ofis bilgisayarı'."))

    class Meta(StoredToken.Meta):
        verbose_name = _("kişisel erişim anahtarı")
        verbose_name_plural = _("kişisel erişim anahtarları")

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}…"

