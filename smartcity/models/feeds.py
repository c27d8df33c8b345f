"""Who may send readings (devices and their credentials) and what was refused (dead letters)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from geo.services.tokens import hash_token, new_secret

TOKEN_PREFIX = "kd_"


class Device(models.Model):
    """A sensor, controller or feed that sends readings. It may write to the assets listed, or
    to every asset of the kinds listed; with neither, it may write to nothing."""

    device_id = models.SlugField(_("cihaz kimliği"), max_length=80, unique=True)
    name = models.CharField(_("ad"), max_length=200, blank=True)
    token_hash = models.CharField(_("anahtar özeti (SHA-256)"), max_length=64, unique=True, editable=False)
    allowed_kinds = models.ManyToManyField("smartcity.AssetKind", blank=True, related_name="devices",
                                           verbose_name=_("izinli varlık türleri"))
    allowed_assets = models.ManyToManyField("smartcity.Asset", blank=True, related_name="devices",
                                            verbose_name=_("izinli varlıklar"))
    active = models.BooleanField(_("etkin"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(_("son okuma"), null=True, blank=True)

    class Meta:
        ordering = ["device_id"]
        verbose_name = _("cihaz")
        verbose_name_plural = _("cihazlar")

    def __str__(self) -> str:
        return self.device_id

    def issue_token(self) -> str:
        """A new secret for this device; only its hash is kept, so show it once."""
        token = new_secret(TOKEN_PREFIX)
        self.token_hash = hash_token(token)
        return token


class DeadLetter(models.Model):
    """A message Kent could not accept, kept with its raw bytes and the reason, so a feed's
    owner can see what went wrong and nothing disappears silently."""

    class Reason(models.TextChoices):
        NOT_JSON = "not_json", _("JSON değil")
        NOT_OBJECT = "not_object", _("JSON nesnesi değil")
        TOO_LARGE = "too_large", _("çok büyük")
        BAD_TOPIC = "bad_topic", _("konu (topic) hatalı")
        UNKNOWN_KIND = "unknown_kind", _("bilinmeyen varlık türü")
        UNKNOWN_ASSET = "unknown_asset", _("bilinmeyen varlık")
        KIND_MISMATCH = "kind_mismatch", _("varlık türü uyuşmuyor")
        UNKNOWN_DEVICE = "unknown_device", _("bilinmeyen cihaz veya anahtar")
        FORBIDDEN = "forbidden", _("cihazın bu varlığa yetkisi yok")
        INVALID = "invalid", _("şemaya uymuyor")
        NO_TIMESTAMP = "no_timestamp", _("dateObserved eksik")
        BAD_TIMESTAMP = "bad_timestamp", _("dateObserved okunamadı")
        FUTURE = "future", _("zaman damgası ileride")
        TOO_OLD = "too_old", _("saklama süresinden eski")
        STORAGE = "storage", _("veritabanı kabul etmedi")

    class Source(models.TextChoices):
        MQTT = "mqtt", "MQTT"
        HTTP = "http", "HTTP"

    received_at = models.DateTimeField(_("alınma zamanı"), auto_now_add=True, db_index=True)
    source = models.CharField(_("kaynak"), max_length=8, choices=Source.choices)
    topic = models.CharField(_("konu / adres"), max_length=300, blank=True)
    device = models.CharField(_("cihaz"), max_length=80, blank=True)
    asset_ref = models.CharField(_("varlık"), max_length=200, blank=True)
    reason = models.CharField(_("neden"), max_length=20, choices=Reason.choices, db_index=True)
    detail = models.TextField(_("ayrıntı"), blank=True)
    payload = models.TextField(_("ham içerik"), blank=True)
    payload_base64 = models.BooleanField(_("içerik base64"), default=False,
                                         help_text=_("UTF-8 olmayan baytlar base64 olarak saklanır."))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("hatalı veri")
        verbose_name_plural = _("hatalı veriler")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.topic}"
