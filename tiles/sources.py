"""Where a registry layer's rows live, as SQL: table, geometry, key, filter and public attributes.

Vector tiles, Mapnik datasources, WMS feature info and thematic maps all read layers through
this one description, so a new typed source needs one entry here, not one per outlet.
Identifiers come from Django's model metadata and are quoted; the values written into SQL text
are the layer's integer id and a typed layer's `source_filter` values, parsed by their fields
and written as literals (geo.sources.source_filter; Mapnik's datasource takes no query parameters),
so an asset layer's tiles hold only its kind. A filter naming no plain field of the model
shows nothing rather than every row."""

import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db import connection, models

from geo.models import FeatureKey, Layer
from geo.sources import source_filter
from geo.sources.policy import hidden_fields, is_personal, published_store_keys
from numarataj.models import CsbmTuru

LOG = logging.getLogger(__name__)

# Typed models may list personal-data fields in KISISEL_ALANLAR; they never leave Kent by tiles,
# nor do fields geo.sources.policy hides or names as personal: tiles publish what OGC publishes.
PRIVATE_ATTR = "KISISEL_ALANLAR"
SCALAR_TYPES = (models.CharField, models.TextField, models.IntegerField, models.FloatField, models.DecimalField,
                models.BooleanField, models.DateField, models.DateTimeField, models.ForeignKey)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _csbm_name_sql() -> str:
    """SQL twin of Csbm.tam_ad ('Atatürk Caddesi', '1203. Sokak'), built from CsbmTuru's suffixes."""
    cases = " ".join(f"WHEN '{t.value}' THEN '{t.suffix}'" for t in CsbmTuru)
    return f"concat(coalesce(t.numara::text || '.', t.ad), ' ', CASE t.tur {cases} ELSE '' END)"


# Derived attributes a typed source publishes besides its fields.
EXTRA_ATTRIBUTES = {
    "numarataj.Csbm": lambda: {"tam_ad": _csbm_name_sql()},
}


@dataclass(frozen=True)
class Source:
    """A layer's rows as SQL. `attributes` maps public names to SQL expressions over alias `t`;
    `jsonb` names a JSONB column whose keys are attributes too (the feature store)."""

    table: str
    geom: str = "t.geom"
    pk: str = "t.id"
    where: str = "TRUE"
    attributes: dict[str, str] = field(default_factory=dict)
    jsonb: str | None = None
    keys: tuple[str, ...] = ()  # the JSONB keys that may leave Kent (an allow-list)
    layer_id: int | None = None  # the feature-store layer whose key inventory the JSONB is cut by

    def has(self, name: str) -> bool:
        return name in self.attributes or (self.jsonb is not None and name in self.keys)

    def _published_json(self) -> str:
        """The JSONB column without the keys that are not published. The keys to drop come from the
        layer's key inventory (geo.FeatureKey) in one sub-select PostgreSQL runs once per query;
        removing them from each row costs 4-8 % of a tile, where rebuilding each row's object from
        the allowed keys cost 35 % (bench/README.md)."""
        allowed = ", ".join(f"'{_literal(k)}'" for k in self.keys)
        return (f"({self.jsonb} - (SELECT coalesce(array_agg(fk.key), '{{}}') FROM {_q(FeatureKey._meta.db_table)} fk "
                f"WHERE fk.layer_id = {int(self.layer_id or 0)} AND fk.key <> ALL(ARRAY[{allowed}]::text[])))")

    def attribute_sql(self, names: list[str] | None = None, *, as_text: bool = False) -> str:
        """', '-joined select items for the public attributes: all of them (the JSONB column
        whole), or the named ones; `as_text` casts each to text, as Mapnik filters compare text."""
        items = []
        for name, expr in self.attributes.items():
            if names is None or name in names:
                items.append(f"({expr}){'::text' if as_text else ''} AS {_q(name)}")
        if self.jsonb and names is None:
            items.append(f"{self._published_json()} AS properties")
        elif self.jsonb:
            items += [f"({self.jsonb} ->> '{_literal(n)}') AS {_q(n)}" for n in names
                      if n not in self.attributes and n in self.keys]
        return ", ".join(items)


def _literal(name: str) -> str:
    return name.replace("'", "''")


def _never_published(f: models.Field, private: set[str]) -> bool:
    user_model = settings.AUTH_USER_MODEL.lower()
    return (f.name in private or is_personal(f.name)
            or (isinstance(f, models.ForeignKey) and f.related_model._meta.label_lower == user_model))


def _typed_attributes(model: type[models.Model], source: str) -> dict[str, str]:
    private = set(getattr(model, PRIVATE_ATTR, ())) | hidden_fields(source)
    attrs: dict[str, str] = {}
    for f in model._meta.concrete_fields:
        if (f.primary_key or isinstance(f, GeometryField) or not isinstance(f, SCALAR_TYPES)
                or _never_published(f, private)):
            continue
        expr = f"t.{_q(f.column)}"
        if isinstance(f, models.DateField | models.DateTimeField | models.DecimalField):
            expr += "::text"  # ST_AsMVT and Mapnik want text, numbers or booleans
        attrs[f.attname] = expr
    return attrs


def _geometry_column(model: type[models.Model]) -> str:
    geoms = [f for f in model._meta.concrete_fields if isinstance(f, GeometryField)]
    main = next((f for f in geoms if f.name == "geom"), geoms[0])
    return main.column


_inventoried_keys: dict[int, tuple[float, tuple[str, ...]]] = {}
KEYS_SECONDS = 60.0


def _store_keys(layer: Layer) -> tuple[str, ...]:
    """The published keys of a feature-store layer. A declared schema names them (no query); a
    schema-less layer's come from its key inventory, remembered for a minute per worker so a tile
    render does not read it again. However stale, it never holds a personal key (an allow-list)."""
    if (layer.attribute_schema or {}).get("properties"):
        return tuple(published_store_keys(layer))
    now = time.monotonic()
    hit = _inventoried_keys.get(layer.pk)
    if hit is None or now - hit[0] > KEYS_SECONDS:
        hit = _inventoried_keys[layer.pk] = (now, tuple(published_store_keys(layer)))
    return hit[1]


def source_of(layer: Layer) -> Source:
    """The SQL description of a layer's rows."""
    model = layer.source_model()
    table = f"{_q(model._meta.db_table)} t"
    if layer.is_feature_store:
        return Source(table=table, where=f"t.layer_id = {int(layer.pk)}", jsonb="t.properties",
                      keys=_store_keys(layer), layer_id=int(layer.pk))
    extra = EXTRA_ATTRIBUTES.get(layer.source, dict)()
    try:
        where = source_filter.where_sql(source_filter.columns(model, layer.source_filter))
    except source_filter.BadSourceFilter as e:
        LOG.warning("Katman %s: kaynak süzgeci kullanılamıyor, karo boş çizilir: %s", layer.slug, e)
        where = "FALSE"
    return Source(table=table, geom=f"t.{_q(_geometry_column(model))}", pk=f"t.{_q(model._meta.pk.column)}",
                  where=where, attributes={**_typed_attributes(model, layer.source), **extra})
