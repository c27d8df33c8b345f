"""Alert rules (thresholds per kind, declared as data) and the alerts they open and close."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AlertRule(models.Model):
    """One rule of a kind. Either a condition rule — `conditions` is a list of clauses
    {"attribute", "op" (gte/gt/lte/lt/eq/in), "value", optional "clear"}, the alert opens when
    any clause holds and, with "clear", closes only when the value falls back past it — or a
    staleness rule: `stale_minutes` set, the alert opens when the asset has been silent that long."""

    class Severity(models.TextChoices):
        INFO = "info", _("bilgi")
        WARNING = "warning", _("uyarı")
        CRITICAL = "critical", _("kritik")

    kind = models.ForeignKey("smartcity.AssetKind", on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("kod"), max_length=60)
    title_tr = models.CharField(_("başlık (Türkçe)"), max_length=200)
    title_en = models.CharField(_("başlık (İngilizce)"), max_length=200, blank=True)
    severity = models.CharField(_("önem"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    conditions = models.JSONField(_("koşullar"), default=list, blank=True)
    threshold_attribute = models.CharField(
        _("varlığa özel eşik özniteliği"), max_length=60, blank=True,
        help_text=_("Varlığın özniteliklerinde bu ad varsa ilk koşulun eşiği onunla değişir."))
    stale_minutes = models.PositiveIntegerField(_("sessizlik süresi (dk)"), null=True, blank=True)
    active = models.BooleanField(_("etkin"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("uyarı kuralı")
        verbose_name_plural = _("uyarı kuralları")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="alertrule_kind_code")]

    def __str__(self) -> str:
        return self.title_tr


class Alert(models.Model):
    """An alert of one rule on one asset; at most one is open per (asset, rule)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    asset = models.ForeignKey("smartcity.Asset", on_delete=models.CASCADE, related_name="alerts")
    opened_at = models.DateTimeField(_("açılış"), db_index=True)
    closed_at = models.DateTimeField(_("kapanış"), null=True, blank=True)
    observed_at = models.DateTimeField(_("tetikleyen gözlem zamanı"), null=True, blank=True)
    values = models.JSONField(_("değerler"), default=dict, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+",
                                        verbose_name=_("onaylayan"))
    acknowledged_at = models.DateTimeField(_("onay zamanı"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("uyarı")
        verbose_name_plural = _("uyarılar")
        constraints = [models.UniqueConstraint(fields=["asset", "rule"], condition=Q(closed_at__isnull=True),
                                               name="alert_one_open_per_asset_rule")]

    def __str__(self) -> str:
        return f"{self.rule} — {self.asset}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
