"""Assets from a file: GeoPackage, GeoJSON, Shapefile or CSV (lon/lat columns), read with
pyogrio, brought to EPSG:4326, one asset per point. Existing asset ids are updated, new ones
created, each recorded in the edit history (smartcity.assets) under the kind's layer, which is registered
first if it is missing (smartcity.layers). OSM exports work as they are:
an "@id"/"id" of "node/123" becomes asset id "osm-node-123" with osm_id 123 — MQTT topics and
URLs cannot carry the slash."""

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction

from geo.errors import InvalidInput, UnreadableFile
from smartcity.assets import save_asset
from smartcity.layers import ensure_asset_layers
from smartcity.models import Asset, AssetKind

OSM_ID = re.compile(r"^(node|way|relation)/(\d+)$")
ID_FIELDS = ("asset_id", "assetId", "id", "@id", "ref")
NAME_FIELDS = ("name", "ad", "isim")


@dataclass
class AssetImport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def _read(path: Path) -> gpd.GeoDataFrame:
    options = {"X_POSSIBLE_NAMES": "lon,lng,longitude,x,boylam", "Y_POSSIBLE_NAMES": "lat,latitude,y,enlem",
               "KEEP_GEOM_COLUMNS": "NO"} if path.suffix.lower() == ".csv" else {}
    try:
        frame = gpd.read_file(path, engine="pyogrio", **options)
    except Exception as e:  # noqa: BLE001 - any reader failure means the same thing to the user
        raise UnreadableFile(f"'{path.name}' okunamadı: {e}. (Cannot read the file.)") from None
    if frame.crs is None:
        frame = frame.set_crs(settings.STORAGE_SRID)
    return frame.to_crs(settings.STORAGE_SRID)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _identity(props: dict[str, Any], id_field: str | None) -> tuple[str | None, int | None]:
    raw = next((props.get(f) for f in ([id_field] if id_field else ID_FIELDS) if props.get(f)), None)
    if raw is None:
        return None, None
    raw = str(raw)
    if m := OSM_ID.match(raw):
        return f"osm-{m.group(1)}-{m.group(2)}", int(m.group(2)) if m.group(1) == "node" else None
    return raw.replace("/", "-")[:80], None


@transaction.atomic
def import_assets(path: str | Path, kind: AssetKind, *, user: Any, id_field: str | None = None) -> AssetImport:
    frame = _read(Path(path))
    if frame.empty:
        raise InvalidInput("Dosyada kayıt yok. (The file has no rows.)")
    layer = ensure_asset_layers(kinds=[kind]).get(kind.type)  # looked up once, not per row
    report = AssetImport()
    existing = {a.asset_id: a for a in Asset.objects.filter(kind=kind)}
    for i, row in enumerate(frame.itertuples(index=False)):
        props = {k: _clean(v) for k, v in row._asdict().items() if k != "geometry" and _clean(v) is not None}
        geom = row.geometry
        asset_id, osm_id = _identity(props, id_field)
        if asset_id is None or geom is None or geom.is_empty:
            report.skipped.append(f"satır {i + 1}: kimlik ya da konum yok (no id or location)")
            continue
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        asset = existing.get(asset_id) or Asset(kind=kind, asset_id=asset_id)
        is_new = asset.pk is None
        asset.name = str(next((props[f] for f in NAME_FIELDS if props.get(f)), asset.name))[:200]
        asset.attributes = {**asset.attributes, **{k: v for k, v in props.items() if k not in ID_FIELDS}}
        asset.osm_id = osm_id or asset.osm_id
        asset.geom = Point(point.x, point.y, srid=settings.STORAGE_SRID)
        save_asset(asset, user=user, comment=f"içe aktarma: {Path(path).name}", layer=layer)
        report.created += is_new
        report.updated += not is_new
    return report
