"""Dış kapı (the address point at a building's entrance) and bağımsız bölüm (flat/shop)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

# Shown wherever an official code is missing: Kent never invents UAVT codes, the national register
# (NVİ) assigns them; until one is entered or imported the row is awaiting registration.
TESCIL_BEKLIYOR = "Tescil bekliyor (awaiting registration)"


def official_code(code: str | None) -> str:
    """The code as given, or the awaiting-registration label when there is none."""
    return code or TESCIL_BEKLIYOR


class Adres(models.Model):
    """A door: number on a CSBM, at a point next to the building's entrance."""

    class Taraf(models.TextChoices):
        SOL = "sol", _("Sol (tek)")
        SAG = "sag", _("Sağ (çift)")
        BELIRSIZ = "", _("Belirsiz")

    csbm = models.ForeignKey("numarataj.Csbm", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="adresler")
    mahalle = models.ForeignKey("numarataj.Mahalle", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="adresler")
    yapi = models.ForeignKey("numarataj.Yapi", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="adresler")
    kapi_no = models.CharField(_("dış kapı no"), max_length=20, blank=True)
    taraf = models.CharField(_("taraf"), max_length=3, choices=Taraf.choices, blank=True)
    yazildigi_gibi = models.CharField(
        _("yazıldığı gibi"), max_length=300, blank=True,
        help_text=_("Kaynakta yazıldığı biçim (ör. OSM addr:* etiketleri), eşleştirme için."),
    )
    uavt_kodu = models.CharField(
        _("UAVT adres no"), max_length=12, null=True, blank=True, db_index=True,
        help_text=_("Ulusal Adres Veri Tabanının verdiği kod, verildiği gibi; boşsa tescil bekliyor."))
    geom = models.PointField(_("kapı noktası"), srid=settings.STORAGE_SRID)
    version = models.PositiveIntegerField(_("sürüm"), default=1, editable=False)

    class Meta:
        verbose_name = _("adres (dış kapı)")
        verbose_name_plural = _("adresler (dış kapı)")

    def __str__(self) -> str:
        street = self.csbm.tam_ad if self.csbm_id else "?"
        return f"{street} No:{self.kapi_no}"

    @property
    def tescil(self) -> str:
        """The UAVT code, or 'Tescil bekliyor (awaiting registration)'."""
        return official_code(self.uavt_kodu)


class BagimsizBolum(models.Model):
    adres = models.ForeignKey(Adres, on_delete=models.CASCADE, related_name="bagimsiz_bolumler")
    ic_kapi_no = models.CharField(_("iç kapı no"), max_length=10)
    kat = models.SmallIntegerField(_("kat"), default=0)
    kullanim = models.CharField(_("kullanım"), max_length=20, default="konut")
    adres_kodu = models.CharField(
        _("adres kodu"), max_length=10, unique=True, null=True, blank=True,
        help_text=_("UAVT'nin verdiği 10 haneli kod, kapı numarası değişse de aynı kalır; "
                    "boşsa tescil bekliyor."))

    class Meta:
        verbose_name = _("bağımsız bölüm")
        verbose_name_plural = _("bağımsız bölümler")

    def __str__(self) -> str:
        return f"{self.adres} İç Kapı:{self.ic_kapi_no}"

    @property
    def tescil(self) -> str:
        return official_code(self.adres_kodu)
