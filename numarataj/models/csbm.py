"""CSBM: cadde, sokak, bulvar, meydan (and küme evler), the street-like features of MAKS."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CsbmTuru(models.TextChoices):
    CADDE = "cadde", _("Cadde")
    SOKAK = "sokak", _("Sokak")
    BULVAR = "bulvar", _("Bulvar")
    MEYDAN = "meydan", _("Meydan")
    KUME_EVLER = "kume_evler", _("Küme Evler")

    @property
    def suffix(self) -> str:
        return {"cadde": "Caddesi", "sokak": "Sokak", "bulvar": "Bulvarı", "meydan": "Meydanı",
                "kume_evler": "Küme Evleri"}[self.value]

    @property
    def numbered_suffix(self) -> str:
        """After a number the kind takes no possessive: '8. Cadde', '5. Bulvar' (not '8. Caddesi')."""
        return {"cadde": "Cadde", "sokak": "Sokak", "bulvar": "Bulvar", "meydan": "Meydan",
                "kume_evler": "Küme Evler"}[self.value]


class Csbm(models.Model):
    """A street. It carries a name or a number, never both (a meydan only a name)."""

    ilce = models.ForeignKey("numarataj.Ilce", on_delete=models.PROTECT, related_name="csbmler")
    mahalleler = models.ManyToManyField("numarataj.Mahalle", related_name="csbmler", blank=True)
    tur = models.CharField(_("tür"), max_length=12, choices=CsbmTuru.choices)
    ad = models.CharField(_("ad"), max_length=150, blank=True,
                          help_text=_("Tür eki olmadan, ör. 'Atatürk' (Atatürk Caddesi)."))
    numara = models.PositiveIntegerField(_("numara"), null=True, blank=True,
                                         help_text=_("Numaralı sokaklar için, ör. 1203"))
    uavt_kodu = models.CharField(_("UAVT kodu"), max_length=12, blank=True)
    geom = models.MultiLineStringField(_("eksen"), srid=settings.STORAGE_SRID)
    baslangic = models.PointField(
        _("numaralama başlangıcı"), srid=settings.STORAGE_SRID, null=True, blank=True,
        help_text=_("Eksenin numaralamanın başladığı ucu; onaylanan her planla motor tarafından yazılır."),
    )
    baslangic_sabit = models.BooleanField(
        _("başlangıç memurca sabitlendi"), default=False,
        help_text=_("İşaretliyse motor başlangıcı yeniden hesaplamaz (ör. meydanlar)."),
    )
    version = models.PositiveIntegerField(_("sürüm"), default=1, editable=False)

    class Meta:
        ordering = ["tur", "ad", "numara"]
        verbose_name = _("CSBM")
        verbose_name_plural = _("CSBM'ler")
        constraints = [
            models.CheckConstraint(
                condition=(Q(ad="", numara__isnull=False) | (~Q(ad="") & Q(numara__isnull=True))),
                name="csbm_name_xor_number"),
            models.CheckConstraint(condition=~Q(tur="meydan") | Q(numara__isnull=True),
                                   name="csbm_meydan_named"),
        ]

    def __str__(self) -> str:
        return self.tam_ad

    @property
    def tam_ad(self) -> str:
        """The full official name: 'Atatürk Caddesi', '1203. Sokak', '8. Cadde'."""
        kind = CsbmTuru(self.tur)
        if self.numara is not None:
            return f"{self.numara}. {kind.numbered_suffix}"
        return f"{self.ad} {kind.suffix}"
