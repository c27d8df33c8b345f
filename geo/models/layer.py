"""The layer registry: one row per publishable layer, wherever its rows live."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tucbs import TucbsTheme


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Herkese açık")
    AGENCY = "agency", _("Protokollü kurumlar")
    INTERNAL = "internal", _("Kurum içi")


class GeometryFamily(models.TextChoices):
    POINT = "point", _("Nokta")
    LINE = "line", _("Çizgi")
    POLYGON = "polygon", _("Alan")

    @classmethod
    def of(cls, geom_type: str) -> "GeometryFamily | None":
        """The family of an OGC geometry type name ('MultiPolygon' -> polygon)."""
        t = geom_type.lower().removeprefix("multi")
        return {"point": cls.POINT, "linestring": cls.LINE, "polygon": cls.POLYGON}.get(t)


class LayerGroup(models.Model):
    """A set of layers granted together, e.g. 'Afet Bilgi Bankası' for an outside institution."""

    slug = models.SlugField(unique=True)
    title_tr = models.CharField(_("başlık (Türkçe)"), max_length=200)
    title_en = models.CharField(_("başlık (İngilizce)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("katman grubu")
        verbose_name_plural = _("katman grupları")

    def __str__(self) -> str:
        return self.title_tr


FEATURE_STORE = "geo.Feature"


class Layer(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    title_tr = models.CharField(_("başlık (Türkçe)"), max_length=200)
    title_en = models.CharField(_("başlık (İngilizce)"), max_length=200, blank=True)
    theme = models.ForeignKey(TucbsTheme, on_delete=models.PROTECT, verbose_name=_("TUCBS teması"))
    group = models.ForeignKey(LayerGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="layers", verbose_name=_("grup"))
    geometry_family = models.CharField(_("geometri türü"), max_length=10, choices=GeometryFamily.choices)
    native_srid = models.PositiveIntegerField(_("özgün koordinat sistemi (EPSG)"), default=4326)
    source = models.CharField(
        _("kaynak"), max_length=80, default=FEATURE_STORE,
        help_text=_("'geo.Feature' (genel detay deposu) ya da tipli bir model, ör. 'numarataj.Yapi'."),
    )
    source_filter = models.JSONField(
        _("kaynak süzgeci"), default=dict, blank=True,
        help_text=_('Tipli kaynakta katmanın gösterdiği satırlar, alan = değer, ör. {"kind_id": "WasteContainer"}.'),
    )
    attribute_schema = models.JSONField(
        _("öznitelik şeması"), default=dict, blank=True,
        help_text=_('{"properties": {"ad": {"type": "string"}}, "required": ["ad"]}'),
    )
    access_level = models.CharField(_("erişim"), max_length=10, choices=AccessLevel.choices,
                                    default=AccessLevel.INTERNAL)
    published = models.BooleanField(_("yayında"), default=True)
    style = models.JSONField(_("stil"), default=dict, blank=True)
    # metadata (ISO 19115 core, as TUCBS metadata asks)
    abstract = models.TextField(_("özet"), blank=True)
    keywords = models.JSONField(_("anahtar kelimeler"), default=list, blank=True)
    responsible_party = models.CharField(_("sorumlu birim"), max_length=200, blank=True)
    licence = models.CharField(_("lisans"), max_length=200, blank=True)
    lineage = models.TextField(_("veri geçmişi (soy)"), blank=True)
    data_updated_at = models.DateTimeField(_("veri güncelleme tarihi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("katman")
        verbose_name_plural = _("katmanlar")

    def __str__(self) -> str:
        return self.title_tr

    @property
    def is_feature_store(self) -> bool:
        return self.source == FEATURE_STORE

    def source_model(self) -> type[models.Model]:
        return apps.get_model(self.source)

    def rows(self) -> models.QuerySet:
        """The rows of this layer, whichever table holds them."""
        model = self.source_model()
        if self.is_feature_store:
            return model.objects.filter(layer=self)
        return model.objects.filter(**self.source_filter)

    def attribute_names(self) -> list[str]:
        """Attribute names: from the schema for the feature store, from the fields otherwise."""
        if self.is_feature_store:
            return list(self.attribute_schema.get("properties", {}))
        return [f.name for f in self.source_model()._meta.concrete_fields
                if f.name not in {"id", "geom"}]

    def required_attributes(self) -> list[str]:
        return sorted(set(self.attribute_schema.get("required", [])) | set(self.theme.required_attributes))

    @property
    def storage_srid(self) -> int:
        return settings.STORAGE_SRID
