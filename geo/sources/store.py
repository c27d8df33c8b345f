"""The generic feature store (`geo.Feature`) as a source: attributes are keys of `properties`.

A layer that declares a schema publishes the keys it declares, and keys its rows carry beyond them
(an import brought them) are internal: staff see them, no one else. A schema-less layer publishes
every key its rows carry. The keys come from `geo.FeatureKey`, kept by statement-level triggers,
so no write path is missed."""

from typing import TYPE_CHECKING, Any

from django.db import connection

from .base import INTERNAL, Fields, SourceSpec
from .entries import key_entry

if TYPE_CHECKING:
    from geo.models import Layer


def stored_keys(layer_id: int) -> list[str]:
    from geo.models import FeatureKey

    with connection.cursor() as cur:
        cur.execute(f"SELECT key FROM {FeatureKey._meta.db_table} WHERE layer_id = %s ORDER BY key", [layer_id])
        return [r[0] for r in cur.fetchall()]


class FeatureStoreSource(SourceSpec):
    name = "geo.Feature"

    def __init__(self, editing: Any = None) -> None:
        self.editing = editing

    def fields(self, layer: "Layer") -> Fields:
        declared: dict[str, Any] = (layer.attribute_schema or {}).get("properties") or {}
        fields = {name: entry for name in declared if (entry := key_entry(name, declared[name]))}
        for name in stored_keys(layer.pk):
            if name not in declared and (entry := key_entry(name, None)):
                fields[name] = {**entry, INTERNAL: True} if declared else entry
        return fields

    def provider(self, layer: "Layer") -> dict[str, Any]:
        return {"kind": "store", "table": "geo_feature", "id_column": "id", "geom_column": "geom",
                "json_columns": ["properties"], "layer_id": layer.pk}

    def time_field(self, layer: "Layer") -> str | None:
        return (layer.attribute_schema or {}).get("time_field")
