"""Yapı: a building footprint with its floors and use."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Yapi(models.Model):
    class Kullanim(models.TextChoices):
        KONUT = "konut", _("Konut")
        ISYERI = "isyeri", _("İşyeri")
        KARMA = "karma", _("Konut + işyeri")
        KAMU = "kamu", _("Kamu")
        EGITIM = "egitim", _("Eğitim")
        SAGLIK = "saglik", _("Sağlık")
        IBADET = "ibadet", _("İbadet")
        DIGER = "diger", _("Diğer")

    mahalle = models.ForeignKey("numarataj.Mahalle", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="yapilar")
    ad = models.CharField(_("ad"), max_length=150, blank=True)
    maks_id = models.CharField(_("MAKS yapı kimliği"), max_length=20, blank=True, db_index=True)
    ada = models.CharField(_("ada"), max_length=20, blank=True)
    parsel = models.CharField(_("parsel"), max_length=20, blank=True)
    tanitim_no = models.CharField(_("yapı tanıtım numarası"), max_length=20, blank=True,
                                  help_text=_("Mahalle içinde tekil."))
    kat_ust = models.PositiveSmallIntegerField(_("zemin üstü kat"), default=1)
    kat_alt = models.PositiveSmallIntegerField(_("zemin altı kat"), default=0)
    kullanim = models.CharField(_("kullanım"), max_length=10, choices=Kullanim.choices,
                                default=Kullanim.KONUT)
    osm_id = models.BigIntegerField(null=True, blank=True, unique=True)
    geom = models.MultiPolygonField(_("taban alanı"), srid=settings.STORAGE_SRID)
    version = models.PositiveIntegerField(_("sürüm"), default=1, editable=False)

    class Meta:
        verbose_name = _("yapı")
        verbose_name_plural = _("yapılar")
        constraints = [
            models.UniqueConstraint(fields=["mahalle", "tanitim_no"], condition=~Q(tanitim_no=""),
                                    name="yapi_tanitim_no_unique_in_mahalle"),
        ]

    def __str__(self) -> str:
        return self.ad or f"Yapı {self.pk}"
