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


class FeatureKey(models.Model):
    """Every attribute key a layer's features have carried. Database triggers on geo_feature keep
    it (one statement-level insert per write, so no write path can miss a key): a schema-less
    layer publishes its keys from here, and tiles drop every key that is not published without
    rebuilding each row's JSON. Keys are never removed: one too many only costs nothing."""

    layer = models.ForeignKey("geo.Layer", on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["layer", "key"], name="geo_featurekey_layer_key")]

    def __str__(self) -> str:
        return f"{self.layer_id}:{self.key}"
