"""Imagery: satellite and orthophoto rasters stored as Cloud-Optimized GeoTIFFs and served as tiles."""

from pathlib import Path

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Imagery(models.Model):
    """One imported raster. `rendering` says how its bands become colours (see tiles/imagery.py):
    {"mode": "rgb", "bands": [1, 2, 3], "range": [0, 1]} or
    {"mode": "ramp", "band": 1, "ramp": "ndvi", "range": [-1, 1]} or {"mode": "grey", "band": 1, ...}."""

    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(_("başlık"), max_length=200)
    abstract = models.TextField(_("özet"), blank=True)
    attribution = models.CharField(_("kaynak gösterimi"), max_length=300,
                                   help_text=_("Her gösterimde yazılması gereken kaynak/telif ifadesi."))
    licence = models.CharField(_("lisans"), max_length=200, blank=True)
    acquired = models.DateField(_("çekim tarihi"), null=True, blank=True)
    file = models.CharField(_("dosya"), max_length=500, help_text=_("MEDIA_ROOT altındaki COG dosyası."))
    bounds = models.PolygonField(_("kapsam"), srid=settings.STORAGE_SRID)
    source_crs = models.CharField(_("kaynak koordinat sistemi"), max_length=100)
    width = models.PositiveIntegerField(_("genişlik (piksel)"))
    height = models.PositiveIntegerField(_("yükseklik (piksel)"))
    band_count = models.PositiveSmallIntegerField(_("bant sayısı"))
    dtype = models.CharField(_("veri türü"), max_length=20)
    rendering = models.JSONField(_("gösterim"), default=dict)
    published = models.BooleanField(_("yayında (herkese açık)"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("uydu/ortofoto görüntüsü")
        verbose_name_plural = _("uydu/ortofoto görüntüleri")

    def __str__(self) -> str:
        return self.title

    @property
    def path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.file
