"""What a layer publishes and how its rows are read: the one place that decides which columns or
JSON keys leave Kent.

A layer's rows live in the generic feature store (geo_feature, attributes in JSONB) or in a typed
model's table. `describe()` turns a registry row into plain, JSON-serialisable provider data when
the pygeoapi configuration is built; `Source.from_data()` (source_sql) turns that data into SQL
expressions on each request. A typed layer shows the rows its `source_filter` selects, and a
typed model may be published through a view that joins its live state (`LiveView`: smart-city
assets with their latest reading, read per request, so a new reading needs no rebuild).

Typed models are published only if listed in `PUBLISHABLE_MODELS` (an allow-list: a new model is
private until someone decides otherwise), and never-published fields are dropped whatever the
layer says: personal data (owner names, national ids, request subjects) and internal working
fields."""

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db import connection, models
from django.utils.module_loading import import_string

from geo.models import FeatureKey, Layer
from geo.models.layer import FEATURE_STORE

from .source_filter import BadSourceFilter, Scalar
from .source_filter import columns as filter_columns
from .sql import Field, Source, ident

__all__ = ["PUBLISHABLE_MODELS", "Field", "LiveView", "ModelPolicy", "NotPublishable", "Source", "describe",
           "is_personal"]

LOG = logging.getLogger(__name__)
STRING: dict[str, str] = {"type": "string"}


@dataclass(frozen=True)
class LiveView:
    """A view publishing a typed model with its live state: published columns (name -> view
    column, JSON schema), JSONB columns whose keys are attributes too (the first holding a key
    gives its value), the time field, and where the declared schema of those keys comes from (a
    function of the layer, by import path)."""

    view: str
    columns: dict[str, tuple[str, dict[str, str]]]
    json_columns: tuple[str, ...]
    time_field: str | None
    declared: str


@dataclass(frozen=True)
class ModelPolicy:
    """A typed model Kent may publish: fields it never publishes, its time field if any, and the
    view it is published through if it has live state."""

    hidden: frozenset[str] = frozenset()
    time_field: str | None = None
    view: LiveView | None = None


# smartcity_asset_live (smartcity migration 0005): the asset's columns and its latest reading (time,
# state); an attribute is the reading's value if it has one, else the asset's. The kind's schema
# names and types the keys.
ASSET_VIEW = LiveView(
    view="smartcity_asset_live",
    columns={"asset_id": ("asset_id", STRING), "name": ("name", STRING), "kind": ("kind_id", STRING),
             "osm_id": ("osm_id", {"type": "integer"}),
             "dateObserved": ("observed_at", {"type": "string", "format": "date-time"})},
    json_columns=("state", "attributes"), time_field="dateObserved", declared="smartcity.layers.declared_schema")


PUBLISHABLE_MODELS: dict[str, ModelPolicy] = {
    "numarataj.Mahalle": ModelPolicy(),
    "numarataj.Ilce": ModelPolicy(hidden=frozenset({"yon_merkezi"})),
    "numarataj.Csbm": ModelPolicy(hidden=frozenset({"baslangic", "baslangic_sabit"})),
    "numarataj.Yapi": ModelPolicy(),
    "numarataj.Adres": ModelPolicy(hidden=frozenset({"yazildigi_gibi"})),
    "numarataj.Site": ModelPolicy(),
    "smartcity.Asset": ModelPolicy(view=ASSET_VIEW),
}

# Documents, requests and decisions of the numarataj office carry personal data or are working
# papers; they are named here so a registry row pointing at one is refused loudly, not silently.
NEVER_EXPOSED_MODELS = frozenset({
    "numarataj.AdresTespitTalebi", "numarataj.AdresKarti", "numarataj.Tahakkuk", "numarataj.Tarife",
    "numarataj.AdlandirmaKarari", "numarataj.KararAdimi", "numarataj.CsbmAdGecmisi",
    "numarataj.BagimsizBolum",
})

# Attribute names that are personal data in any layer, typed or not (compared case-insensitively).
PERSONAL_NAMES = frozenset({
    "tckn", "tc_kimlik_no", "tc_no", "kimlik_no", "kisi_tckn", "kisi_adi", "ad_soyad", "adi_soyadi",
    "malik", "malik_adi", "malikler", "sahip", "sahip_adi", "sahibi", "mal_sahibi", "telefon", "tel",
    "cep_telefonu", "eposta", "e_posta", "email", "konu", "talep_konusu", "basvuran", "basvuru_sahibi",
    "owner", "owner_name", "national_id", "phone", "subject",
})
PERSONAL_SUFFIXES = ("_tckn", "_telefon", "_eposta", "_email")

SAFE_KEY = re.compile(r"^[^\W\d]\w{0,62}$")
SAMPLE_ROWS = 500


def is_personal(name: str) -> bool:
    low = name.lower()
    return low in PERSONAL_NAMES or low.endswith(PERSONAL_SUFFIXES)


class NotPublishable(Exception):
    """The registry row points at something Kent never publishes."""


# -- registry row -> provider data (config build time) ---------------------------------------------

_JSON_TYPES: list[tuple[type[models.Field], dict[str, str]]] = [
    (models.BooleanField, {"type": "boolean"}),
    (models.DateTimeField, {"type": "string", "format": "date-time"}),
    (models.DateField, {"type": "string", "format": "date"}),
    (models.DecimalField, {"type": "number"}),
    (models.FloatField, {"type": "number"}),
    (models.IntegerField, {"type": "integer"}),
    (models.JSONField, {"type": "object"}),
    (models.CharField, {"type": "string"}),
    (models.TextField, {"type": "string"}),
    (models.UUIDField, {"type": "string"}),
]


def _json_type(f: models.Field) -> dict[str, str] | None:
    if isinstance(f, models.ForeignKey):
        return {"type": "integer"}
    for cls, schema in _JSON_TYPES:
        if isinstance(f, cls):
            return dict(schema)
    return None


def _geometry_column(model: type[models.Model], source: str) -> str:
    geoms = [f for f in model._meta.concrete_fields if isinstance(f, GeometryField)]
    if not geoms:
        raise NotPublishable(f"{source} modelinin geometrisi yok. (Model has no geometry.)")
    return next((g for g in geoms if g.name == "geom"), geoms[0]).column


def _describe_model(source: str) -> dict[str, Any]:
    policy = _policy(source)
    model = apps.get_model(source)
    geom_column = _geometry_column(model, source)
    user_model = settings.AUTH_USER_MODEL.lower()
    fields: dict[str, dict[str, Any]] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or isinstance(f, GeometryField) or f.name in policy.hidden or is_personal(f.name):
            continue
        if isinstance(f, models.ForeignKey) and f.related_model._meta.label_lower == user_model:
            continue  # who entered a row is personal data
        schema = _json_type(f)
        if schema is None:
            continue
        fields[f.attname] = {**schema, "column": f.column}
    time_field = policy.time_field if policy.time_field in fields else None
    return {"kind": "table", "table": model._meta.db_table, "id_column": model._meta.pk.column,
            "geom_column": geom_column, "fields": fields, "time_field": time_field}


def _policy(source: str) -> ModelPolicy:
    if source in NEVER_EXPOSED_MODELS or source not in PUBLISHABLE_MODELS:
        raise NotPublishable(f"{source} yayınlanabilir modeller arasında değil. (Not a publishable model.)")
    return PUBLISHABLE_MODELS[source]


def _stored_keys(layer_id: int) -> list[str]:
    """Every key a schema-less feature-store layer's rows carry (geo.FeatureKey, kept by triggers)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT key FROM {FeatureKey._meta.db_table} WHERE layer_id = %s ORDER BY key", [layer_id])
        return [r[0] for r in cur.fetchall()]


def _enum_type(values: Any) -> str | None:
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return "string"
    if isinstance(values, list) and values and all(isinstance(v, int | float) and not isinstance(v, bool)
                                                   for v in values):
        return "number"
    return None


def _key_entry(name: str, spec: dict[str, Any]) -> dict[str, Any] | None:
    """A JSON key's published schema from its declaration, or None if it never leaves Kent."""
    if not SAFE_KEY.match(name) or is_personal(name) or spec.get("x-kent-personal"):
        return None
    kind = spec.get("type") or _enum_type(spec.get("enum")) or "string"
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind not in {"string", "integer", "number", "boolean", "array", "object"}:
        kind = "string"
    entry: dict[str, Any] = {"type": kind}
    if spec.get("format") in {"date", "date-time"}:
        entry["format"] = spec["format"]
    return entry


def _describe_store(layer: Layer) -> dict[str, Any]:
    declared: dict[str, Any] = layer.attribute_schema.get("properties", {}) or {}
    names = list(declared) or _stored_keys(layer.pk)
    fields = {name: entry for name in names if (entry := _key_entry(name, declared.get(name, {})))}
    time_field = layer.attribute_schema.get("time_field")
    return {"kind": "store", "table": "geo_feature", "id_column": "id", "geom_column": "geom",
            "layer_id": layer.pk, "fields": fields, "time_field": time_field if time_field in fields else None}


def _sample_view_keys(view: LiveView, scope: list[tuple[str, Scalar]]) -> dict[str, str]:
    """Keys the view's JSONB columns carry in the layer's first rows, with their most common JSON
    type: attributes an import or a feed brought that the schema does not declare."""
    src = Source.from_data({"kind": "view", "table": view.view, "id_column": "id", "geom_column": "geom",
                            "scope": scope})
    objects = [f"t.{ident(c)}" for c in view.json_columns]
    merged = " || ".join(f"coalesce(CASE WHEN jsonb_typeof({o}) = 'object' THEN {o} END, '{{}}')"
                         for o in reversed(objects))
    with connection.cursor() as cur:
        cur.execute(f"SELECT e.key, mode() WITHIN GROUP (ORDER BY jsonb_typeof(e.value)) "
                    f"FILTER (WHERE jsonb_typeof(e.value) <> 'null') "
                    f"FROM (SELECT {merged} AS p FROM {src.table} t WHERE {src.scope_sql} ORDER BY {src.id_sql} "
                    f"LIMIT %s) r, jsonb_each(r.p) e GROUP BY e.key ORDER BY e.key", [SAMPLE_ROWS])
        return {key: kind or "string" for key, kind in cur.fetchall()}


def _describe_view(layer: Layer, model: type[models.Model], view: LiveView,
                   scope: list[tuple[str, Scalar]]) -> dict[str, Any]:
    """A typed layer read through its live view: the view's columns first, then the JSON keys its
    declared schema names (typed from it), then keys found in the rows (typed from their values)."""
    fields: dict[str, dict[str, Any]] = {name: {**schema, "column": column}
                                         for name, (column, schema) in view.columns.items() if not is_personal(name)}
    declared: dict[str, Any] = import_string(view.declared)(layer).get("properties", {}) or {}
    found = {k: {"type": t} for k, t in _sample_view_keys(view, scope).items() if k not in declared}
    for name, spec in [*declared.items(), *found.items()]:
        if name not in fields and (entry := _key_entry(name, spec if isinstance(spec, dict) else {})):
            fields[name] = entry
    return {"kind": "view", "table": view.view, "id_column": model._meta.pk.column,
            "geom_column": _geometry_column(model, layer.source), "json_columns": list(view.json_columns),
            "scope": scope, "fields": fields, "time_field": view.time_field if view.time_field in fields else None}


def published_store_keys(layer: Layer) -> list[str]:
    """The JSON keys of a feature-store layer that may leave Kent: what its collection publishes,
    so tiles and WMS carry no more than OGC API Features does."""
    return list(_describe_store(layer)["fields"])


def hidden_fields(source: str) -> frozenset[str]:
    """Fields of a typed source that are never published (internal working fields)."""
    policy = PUBLISHABLE_MODELS.get(source)
    return policy.hidden if policy else frozenset()


def describe(layer: Layer) -> dict[str, Any]:
    """Provider data for one layer: where its rows are and which attributes it publishes."""
    if layer.source == FEATURE_STORE:
        return _describe_store(layer)
    policy = _policy(layer.source)
    model = apps.get_model(layer.source)
    try:
        scope = filter_columns(model, layer.source_filter)
    except BadSourceFilter as e:
        raise NotPublishable(str(e)) from e
    if policy.view is not None:
        return _describe_view(layer, model, policy.view, scope)
    return {**_describe_model(layer.source), "scope": scope}
