"""A typed Django model as a source: its concrete fields are its attributes, typed from the model.

The app that owns the model registers it (`AppConfig.ready()`) and says what the model alone cannot:
which fields are internal working fields, which are personal data (besides personal-data names,
the model's `KISISEL_ALANLAR` and foreign keys to users — who entered a row is personal), derived
attributes (SQL over alias `t`), the time field, and a live view when the model is published with
its latest state (smart-city assets)."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db import connection, models

from .base import INTERNAL, PERSONAL, Fields, LiveView, NotPublishable, SourceSpec
from .entries import is_personal, key_entry
from .source_filter import BadSourceFilter, Scalar, where_sql
from .source_filter import columns as filter_columns

if TYPE_CHECKING:
    from geo.models import Layer

PERSONAL_ATTR = "KISISEL_ALANLAR"
SAMPLE_ROWS = 500

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


def json_type(f: models.Field) -> dict[str, str] | None:
    if isinstance(f, models.ForeignKey):
        return {"type": "integer"}
    for cls, schema in _JSON_TYPES:
        if isinstance(f, cls):
            return dict(schema)
    return None


def geometry_column(model: type[models.Model]) -> str:
    geoms = [f for f in model._meta.concrete_fields if isinstance(f, GeometryField)]
    if not geoms:
        raise NotPublishable(f"{model._meta.label} modelinin geometrisi yok. (Model has no geometry.)")
    return next((g for g in geoms if g.name == "geom"), geoms[0]).column


class ModelSource(SourceSpec):
    def __init__(self, name: str, *, internal: frozenset[str] = frozenset(), personal: frozenset[str] = frozenset(),
                 derived: Callable[[], dict[str, tuple[str, dict[str, str]]]] | None = None,
                 time_field: str | None = None, view: LiveView | None = None, editing: Any = None,
                 editor_roles: frozenset[str] = frozenset()) -> None:
        self.name = name
        self.editor_roles = editor_roles
        self.internal = internal
        self.personal = personal
        self.derived = derived
        self._time_field = time_field
        self.view = view
        self.editing = editing

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.name)

    def scope(self, layer: "Layer") -> list[tuple[str, Scalar]]:
        try:
            return filter_columns(self.model, layer.source_filter)
        except BadSourceFilter as e:
            raise NotPublishable(str(e)) from e

    def _personal_names(self) -> set[str]:
        return set(self.personal) | set(getattr(self.model, PERSONAL_ATTR, ()))

    def _model_fields(self) -> Fields:
        model, personal = self.model, self._personal_names()
        user_model = settings.AUTH_USER_MODEL.lower()
        fields: Fields = {}
        for f in model._meta.concrete_fields:
            if f.primary_key or isinstance(f, GeometryField) or (schema := json_type(f)) is None:
                continue
            entry: dict[str, Any] = {**schema, "column": f.column}
            to_user = isinstance(f, models.ForeignKey) and f.related_model._meta.label_lower == user_model
            if f.name in personal or is_personal(f.name) or to_user:
                entry[PERSONAL] = True
            if f.name in self.internal:
                entry[INTERNAL] = True
            fields[f.attname] = entry
        for name, (expr, schema) in (self.derived() if self.derived else {}).items():
            fields[name] = {**schema, "expr": expr}
        return fields

    def _view_fields(self, layer: "Layer", view: LiveView) -> Fields:
        """The view's columns first, then the JSON keys the declared schema names (typed from it),
        then keys found in the layer's first rows (typed from their values)."""
        fields: Fields = {name: {**schema, "column": column} for name, (column, schema) in view.columns.items()}
        declared: dict[str, Any] = view.declared(layer).get("properties", {}) or {}
        found = {k: {"type": t} for k, t in self._sample_view_keys(layer, view).items() if k not in declared}
        for name, spec in [*declared.items(), *found.items()]:
            if name not in fields and (entry := key_entry(name, spec)):
                fields[name] = entry
        for name, entry in fields.items():
            if is_personal(name):
                entry[PERSONAL] = True
        return fields

    def _sample_view_keys(self, layer: "Layer", view: LiveView) -> dict[str, str]:
        """Keys the view's JSONB columns carry in the layer's first rows, with their most common
        JSON type: attributes an import or a feed brought that the schema does not declare."""
        objects = [f't."{c}"' for c in view.json_columns]
        merged = " || ".join(f"coalesce(CASE WHEN jsonb_typeof({o}) = 'object' THEN {o} END, '{{}}')"
                             for o in reversed(objects))
        scope = where_sql(self.scope(layer)) if layer.source_filter else "TRUE"
        with connection.cursor() as cur:
            cur.execute(f"SELECT e.key, mode() WITHIN GROUP (ORDER BY jsonb_typeof(e.value)) "
                        f"FILTER (WHERE jsonb_typeof(e.value) <> 'null') "
                        f'FROM (SELECT {merged} AS p FROM "{view.view}" t WHERE {scope} '
                        f'ORDER BY t."{self.model._meta.pk.column}" LIMIT %s) r, jsonb_each(r.p) e '
                        f"GROUP BY e.key ORDER BY e.key", [SAMPLE_ROWS])
            return {key: kind or "string" for key, kind in cur.fetchall()}

    def fields(self, layer: "Layer") -> Fields:
        return self._view_fields(layer, self.view) if self.view else self._model_fields()

    def provider(self, layer: "Layer") -> dict[str, Any]:
        model = self.model
        data: dict[str, Any] = {"kind": "table", "table": model._meta.db_table, "id_column": model._meta.pk.column,
                                "geom_column": geometry_column(model), "scope": self.scope(layer)}
        if self.view:
            data.update(kind="view", table=self.view.view, json_columns=list(self.view.json_columns))
        return data

    def time_field(self, layer: "Layer") -> str | None:
        return self.view.time_field if self.view else self._time_field
