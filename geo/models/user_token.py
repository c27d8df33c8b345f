"""Personal access tokens: how a staff member's desktop GIS (QGIS) edits through OGC API Features
Part 4 as that person. The secret is shown once at creation; only its SHA-256 is kept
(`geo.services.tokens`), like agency tokens, and a different prefix tells the two apart."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kent_tokens",
                             verbose_name=_("kullanıcı"))
    label = models.CharField(_("etiket"), max_length=100, blank=True, help_text=_("Ör. 'QGIS, ofis bilgisayarı'."))
    prefix = models.CharField(_("önek"), max_length=16, editable=False,
                              help_text=_("Anahtarın ilk karakterleri; hangi anahtar olduğunu tanımak için."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("oluşturma"), auto_now_add=True)
    expires_at = models.DateTimeField(_("geçerlilik sonu"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("son kullanım"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("iptal"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kişisel erişim anahtarı")
        verbose_name_plural = _("kişisel erişim anahtarları")

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}…"

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
