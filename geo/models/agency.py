"""Outside institutions that read agency layers through Kent's OGC services: their accounts, the
tokens an administrator issues them (only a hash is kept) and a log of every request they make."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stored_token import StoredToken


class AgencyAccount(models.Model):
    """An institution under protocol (AFAD, a ministry, a utility) and the collections it may read."""

    name = models.CharField(_("kurum adı"), max_length=200, unique=True)
    contact_name = models.CharField(_("irtibat kişisi"), max_length=150, blank=True)
    contact_email = models.EmailField(_("irtibat e-postası"), blank=True)
    contact_phone = models.CharField(_("irtibat telefonu"), max_length=40, blank=True)
    protocol_ref = models.CharField(_("protokol sayısı"), max_length=100, blank=True,
                                    help_text=_("Veri paylaşım protokolünün tarih ve sayısı."))
    active = models.BooleanField(_("etkin"), default=True)
    layers = models.ManyToManyField("geo.Layer", blank=True, related_name="agency_accounts",
                                    verbose_name=_("katmanlar"))
    layer_groups = models.ManyToManyField("geo.LayerGroup", blank=True, related_name="agency_accounts",
                                          verbose_name=_("katman grupları"))
    notes = models.TextField(_("notlar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kurum hesabı")
        verbose_name_plural = _("kurum hesapları")

    def __str__(self) -> str:
        return self.name


class AgencyToken(StoredToken):
    """A bearer token of one account. The secret is shown once at creation; `token_hash` is its
    SHA-256 (the secret has 256 random bits, so a fast hash is enough and lookups stay one index read)."""

    account = models.ForeignKey(AgencyAccount, on_delete=models.CASCADE, related_name="tokens",
                                verbose_name=_("kurum"))
    label = models.CharField(_("etiket"), max_length=100, blank=True,
                             help_text=_("Ör. 'AFAD CBS sunucusu'."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("oluşturan"))

    class Meta(StoredToken.Meta):
        verbose_name = _("erişim anahtarı")
        verbose_name_plural = _("erişim anahtarları")

    def __str__(self) -> str:
        return f"{self.account} · {self.prefix}…"


class AgencyAccessLog(models.Model):
    """One request to an agency collection or carrying a token, whatever its outcome; an OGC write
    names its user and personal token."""

    at = models.DateTimeField(_("zaman"), default=timezone.now, db_index=True)
    account = models.ForeignKey(AgencyAccount, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="access_log", verbose_name=_("kurum"))
    token = models.ForeignKey(AgencyToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("anahtar"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("kullanıcı"))
    user_token = models.ForeignKey("geo.UserToken", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("kişisel anahtar"))
    collection = models.CharField(_("koleksiyon"), max_length=80, blank=True, db_index=True)
    method = models.CharField(max_length=8, default="GET")
    path = models.CharField(_("istek"), max_length=500)
    status = models.PositiveSmallIntegerField(_("durum kodu"))
    features = models.PositiveIntegerField(_("dönen detay"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("süre (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("kurum erişim kaydı")
        verbose_name_plural = _("kurum erişim kayıtları")
        indexes = [models.Index(fields=["account", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.account or '-'} {self.collection} {self.status}"
