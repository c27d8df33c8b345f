"""Readings over time. The table is partitioned by day on observed_at (declarative range
partitioning, created by migration 0003 with RunSQL), so Django does not manage it: this model
only reads it. Rows are written in batches by smartcity.ingest.store (COPY + INSERT … ON
CONFLICT DO NOTHING), and old days are dropped whole by smartcity.partitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Observation(models.Model):
    pk = models.CompositePrimaryKey("asset", "observed_at")
    asset = models.ForeignKey("smartcity.Asset", on_delete=models.DO_NOTHING, related_name="+")
    observed_at = models.DateTimeField(_("gözlem zamanı"))
    received_at = models.DateTimeField(_("alınma zamanı"))
    device = models.ForeignKey("smartcity.Device", null=True, on_delete=models.DO_NOTHING, related_name="+")
    data = models.JSONField(_("değerler"))

    class Meta:
        managed = False
        db_table = "smartcity_observation"
        ordering = ["observed_at"]
        verbose_name = _("gözlem")
        verbose_name_plural = _("gözlemler")
