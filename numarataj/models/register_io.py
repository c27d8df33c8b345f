"""Register import/export: named mapping profiles between a municipality's files and the MAKS
register, and the log of exports (so a sync can send "what changed since the last export")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RegisterExport", "RegisterProfile"]


class RegisterProfile(models.Model):
    """How one kind of file set maps to the register (see numarataj/register_io/profiles.py for
    the shape of `mapping`); the same content is read and written as YAML for the commands."""

    name = models.CharField(_("ad"), max_length=100, unique=True)
    mapping = models.JSONField(_("eşleme"), default=dict)
    aciklama = models.CharField(_("açıklama"), max_length=300, blank=True)
    updated = models.DateTimeField(_("güncelleme"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kayıt eşleme profili")
        verbose_name_plural = _("kayıt eşleme profilleri")

    def __str__(self) -> str:
        return self.name


class RegisterExport(models.Model):
    """One export of the register, with its manifest (counts, CRS, time span, checksums)."""

    at = models.DateTimeField(_("zaman"), auto_now_add=True, db_index=True)
    profile = models.CharField(_("profil"), max_length=100, blank=True)
    since = models.DateTimeField(_("şu tarihten beri"), null=True, blank=True,
                                 help_text=_("Boşsa kaydın tamamı dışa aktarıldı."))
    manifest = models.JSONField(_("manifesto"), default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("kayıt dışa aktarımı")
        verbose_name_plural = _("kayıt dışa aktarımları")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.profile}"
