"""What every stored bearer token has, agency or personal: a recognisable prefix, the SHA-256 of
the secret (never the secret: geo.services.tokens), and its life (created, expires, last used,
revoked)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredToken(models.Model):
    prefix = models.CharField(_("önek"), max_length=16, editable=False,
                              help_text=_("Anahtarın ilk karakterleri; hangi anahtar olduğunu tanımak için."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("oluşturma"), auto_now_add=True)
    expires_at = models.DateTimeField(_("geçerlilik sonu"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("iptal"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("son kullanım"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
