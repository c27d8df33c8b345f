"""Kent's generic feature store: rows of any layer whose attributes are declared by a schema."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Feature(models.Model):
    layer = models.ForeignKey("geo.Layer", on_delete=models.CASCADE, related_name="features")
    geom = models.GeometryField(_("geometri"), srid=settings.STORAGE_SRID)
    properties = models.JSONField(_("öznitelikler"), default=dict, blank=True)
    # optimistic locking: an update must name the version it started from
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("detay")
        verbose_name_plural = _("detaylar")
        indexes = [models.Index(fields=["layer", "id"])]

    def __str__(self) -> str:
        return f"{self.layer_id}#{self.pk}"
