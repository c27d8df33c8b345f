"""Administrative units: İl > İlçe > Mahalle."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _


class Il(models.Model):
    ad = models.CharField(_("ad"), max_length=100, unique=True)
    plaka = models.PositiveSmallIntegerField(_("plaka kodu"), unique=True)

    class Meta:
        verbose_name = _("il")
        verbose_name_plural = _("iller")

    def __str__(self) -> str:
        return self.ad


class Ilce(models.Model):
    il = models.ForeignKey(Il, on_delete=models.PROTECT, related_name="ilceler")
    ad = models.CharField(_("ad"), max_length=100)
    geom = models.MultiPolygonField(_("sınır"), srid=settings.STORAGE_SRID, null=True, blank=True)
    yon_merkezi = models.PointField(
        _("yön merkezi"), srid=settings.STORAGE_SRID, null=True, blank=True,
        help_text=_("Numaralamanın başladığı merkez (ör. belediye binası). Boşsa ilçenin ağırlık merkezi."),
    )

    class Meta:
        verbose_name = _("ilçe")
        verbose_name_plural = _("ilçeler")
        constraints = [models.UniqueConstraint(fields=["il", "ad"], name="ilce_ad_unique_in_il")]

    def __str__(self) -> str:
        return f"{self.ad}/{self.il}"

    def direction_centre(self) -> Point | None:
        """The yön merkezi streets are numbered away from: the configured point, else the
        centroid of the ilçe's boundary, else of its mahalleler (imported data may lack a boundary)."""
        if self.yon_merkezi is not None:
            return self.yon_merkezi
        if self.geom is not None:
            return self.geom.centroid
        union = self.mahalleler.aggregate(u=Union("geom"))["u"]
        return union.centroid if union is not None else None


class Mahalle(models.Model):
    ilce = models.ForeignKey(Ilce, on_delete=models.PROTECT, related_name="mahalleler")
    ad = models.CharField(_("ad"), max_length=100)
    uavt_kodu = models.CharField(_("UAVT kodu"), max_length=12, blank=True)
    geom = models.MultiPolygonField(_("sınır"), srid=settings.STORAGE_SRID)
    yaklasik = models.BooleanField(
        _("yaklaşık sınır"), default=False,
        help_text=_("Sınır resmi kaynaktan değil, mahalle merkez noktalarından türetildi."),
    )

    class Meta:
        ordering = ["ad"]
        verbose_name = _("mahalle")
        verbose_name_plural = _("mahalleler")
        constraints = [models.UniqueConstraint(fields=["ilce", "ad"], name="mahalle_ad_unique_in_ilce")]

    def __str__(self) -> str:
        return f"{self.ad} Mahallesi"
