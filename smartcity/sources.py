"""Smart-city assets as a layer source (geo.sources): published with their latest state through the
smartcity_asset_live view (migration 0005: the asset's columns and its latest reading — time,
state; an attribute is the reading's value if it has one, else the asset's), edited through
smartcity's editing backend. The kind's schema names and types the state keys."""

from geo.sources import LiveView, ModelSource, register

STRING: dict[str, str] = {"type": "string"}

ASSET_VIEW_COLUMNS: dict[str, tuple[str, dict[str, str]]] = {
    "asset_id": ("asset_id", STRING), "name": ("name", STRING), "kind": ("kind_id", STRING),
    "osm_id": ("osm_id", {"type": "integer"}),
    "dateObserved": ("observed_at", {"type": "string", "format": "date-time"}),
}


def register_sources() -> None:
    from smartcity.editing import AssetEditing
    from smartcity.layers import ASSET_SOURCE, declared_schema

    view = LiveView(view="smartcity_asset_live", columns=ASSET_VIEW_COLUMNS, json_columns=("state", "attributes"),
                    time_field="dateObserved", declared=declared_schema)
    register(ModelSource(ASSET_SOURCE, view=view, editing=AssetEditing()))
