"""Smart-city assets. A kind is a declaration (name + attribute schema), not a table."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.Model):
    """A kind of asset, named by its FIWARE Smart Data Models type where one exists."""

    type = models.CharField(_("tür"), max_length=60, primary_key=True,
                            help_text=_("OffStreetParking, ParkingSpot, TrafficSignal, WasteContainer, Camera"))
    title_tr = models.CharField(_("başlık (Türkçe)"), max_length=120)
    title_en = models.CharField(_("başlık (İngilizce)"), max_length=120)
    schema = models.JSONField(_("öznitelik şeması"), default=dict, blank=True)
    public = models.BooleanField(
        _("herkese açık canlı veri"), default=False,
        help_text=_("Son durum ve geçmiş oturum açmadan okunabilir (ör. otopark doluluğu kent rehberinde)."))

    class Meta:
        verbose_name = _("varlık türü")
        verbose_name_plural = _("varlık türleri")

    def __str__(self) -> str:
        return self.title_tr


class Asset(models.Model):
    kind = models.ForeignKey(AssetKind, on_delete=models.PROTECT, related_name="assets")
    asset_id = models.CharField(_("varlık kimliği"), max_length=80, unique=True)
    name = models.CharField(_("ad"), max_length=200, blank=True)
    attributes = models.JSONField(_("öznitelikler"), default=dict, blank=True)
    osm_id = models.BigIntegerField(null=True, blank=True)
    geom = models.PointField(_("konum"), srid=settings.STORAGE_SRID)
    # grows with every recorded save (smartcity.assets): the map editor's optimistic locking
    version = models.PositiveIntegerField(_("sürüm"), default=1, editable=False)

    class Meta:
        verbose_name = _("varlık")
        verbose_name_plural = _("varlıklar")

    def __str__(self) -> str:
        return self.name or self.asset_id


class AssetState(models.Model):
    """An asset's latest known state, kept apart from the asset row: it changes thousands of
    times a minute while the asset itself (an edited, history-tracked row) rarely does.
    Only a reading newer than `observed_at` may change it; attributes merge, so a feed that
    sends fillingLevel and another that sends temperature both show."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="state")
    observed_at = models.DateTimeField(_("gözlem zamanı"), db_index=True)
    received_at = models.DateTimeField(_("alınma zamanı"))
    state = models.JSONField(_("son durum"), default=dict)

    class Meta:
        verbose_name = _("son durum")
        verbose_name_plural = _("son durumlar")

    def __str__(self) -> str:
        return f"{self.asset_id} @ {self.observed_at:%Y-%m-%d %H:%M:%S}"
