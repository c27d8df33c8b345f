"""Export a layer as GeoPackage, GeoJSON, zipped Shapefile or CSV in any CRS Kent supports.

The columns are what the publication policy lets the reader see (`geo.sources.published_fields`
for the reader's audience: never personal data, internal fields only for staff), read with the
same SQL OGC API Features uses; the row id is `kent_id` and the geometry column `geom`. A model's
other geometry fields (e.g. Csbm.baslangic) are left out, since a layer file carries one geometry.

Format notes:
- Shapefile: zipped with .shp/.shx/.dbf/.prj/.cpg (UTF-8); attribute names are cut to the DBF's
  10 bytes without splitting a Turkish letter, and made unique (`yazildigi_`, `yazildig_1`).
- GeoJSON: RFC 7946 says WGS84 only; asked for another CRS, GDAL writes a `crs` member naming
  it (the pre-RFC convention QGIS and GDAL read). That is deliberate: TM coordinates on request.
- CSV: UTF-8 with BOM (Excel opens Turkish letters right), a `wkt` column, and for points also
  `lon`/`lat` (geographic CRS) or `x`/`y` (projected), at 1e-9 degree / 0.1 mm precision.
Lists and objects in properties are written as JSON text, the only form every format holds.
"""

import json
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from django.db import connection

from geo.errors import Forbidden, InvalidInput
from geo.models import Layer, Right
from geo.sources import Audience, NotPublishable, audience_of, describe
from geo.sources.sql import Source

from . import crs as kcrs
from . import permissions

# format -> (file suffix, content type)
FORMATS: dict[str, tuple[str, str]] = {
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "geojson": (".geojson", "application/geo+json"),
    "shp": (".zip", "application/zip"),
    "csv": (".csv", "text/csv; charset=utf-8"),
}
GEOM = "geom"
EMPTY_TYPES = {"point": "Point", "line": "LineString", "polygon": "Polygon"}
DBF_NAME_BYTES = 10


def export_layer(layer: Layer, fmt: str, srid: str | int, *, user: Any) -> Path:
    """Write the layer to a new temporary directory and return the file (the caller removes its
    parent directory). `user=None` is an operator at the command line: no rights check, and the
    staff's view of the layer (personal data never leaves, even there)."""
    if user is not None:
        permissions.require(user, layer, Right.VIEW)
    audience = Audience.STAFF if user is None else audience_of(user)
    fmt = check_format(fmt)
    srid = kcrs.srid_of(kcrs.parse_crs(srid))
    frame = layer_frame(layer, srid, audience)
    out_dir = Path(tempfile.mkdtemp(prefix="kent-export-"))
    try:
        target = out_dir / f"{layer.slug}{FORMATS[fmt][0]}"
        WRITERS[fmt](frame, target, layer)
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    return target


def check_format(fmt: str) -> str:
    key = (fmt or "").strip().lower().lstrip(".")
    key = {"json": "geojson", "shapefile": "shp", "zip": "shp", "geopackage": "gpkg"}.get(key, key)
    if key not in FORMATS:
        raise InvalidInput(f"Bilinmeyen biçim: {fmt}. Seçenekler: {', '.join(FORMATS)}. (Unknown format.)",
                           formats=list(FORMATS))
    return key


def layer_frame(layer: Layer, srid: int, audience: Audience) -> gpd.GeoDataFrame:
    """The layer's rows as a GeoDataFrame in `srid`, with the attributes `audience` may see."""
    try:
        src = Source.from_data(describe(layer, audience))
    except NotPublishable as e:
        raise Forbidden(str(e), layer=layer.slug) from e
    with connection.cursor() as cur:
        cur.execute(f"SELECT {src.id_sql}, ST_AsBinary({src.geom_sql}), {src.properties_json()} "
                    f"FROM {src.table} t WHERE {src.scope_sql} ORDER BY {src.id_sql}")
        rows = cur.fetchall()
    props = [json.loads(p) if isinstance(p, str) else (p or {}) for _, _, p in rows]
    columns: dict[str, list] = {"kent_id": [pk for pk, _, _ in rows]}
    for name in src.fields:
        if name.lower() not in {"kent_id", GEOM}:
            columns[name] = [p.get(name) for p in props]
    shapes = np.asarray(shapely.from_wkb([None if g is None else bytes(g) for _, g, _ in rows]), dtype=object)
    shapes = kcrs.reproject(shapes, kcrs.STORAGE_SRID, srid)
    data = {name: _column(values) for name, values in columns.items()}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(shapes, crs=f"EPSG:{srid}", name=GEOM))


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _column(values: list) -> pd.Series:
    """A column with one type: booleans, integers, numbers, or else text (mixed values as text)."""
    cells = [_cell(v) for v in values]
    present = [c for c in cells if c is not None]
    if present and all(isinstance(c, bool) for c in present):
        return pd.Series(cells, dtype="boolean")
    if present and all(isinstance(c, int) and not isinstance(c, bool) for c in present):
        return pd.Series(cells, dtype="Int64")
    if present and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in present):
        return pd.Series([np.nan if c is None else float(c) for c in cells], dtype="float64")
    return pd.Series([None if c is None else str(c) for c in cells], dtype=object)


def _empty_type(layer: Layer, frame: gpd.GeoDataFrame) -> str | None:
    """GDAL needs a geometry type to create an empty layer; data layers infer their own."""
    return EMPTY_TYPES.get(layer.geometry_family, "Unknown") if frame.empty else None


def _write_gpkg(frame: gpd.GeoDataFrame, target: Path, layer: Layer) -> None:
    pyogrio.write_dataframe(frame, target, layer=layer.slug, driver="GPKG", geometry_type=_empty_type(layer, frame),
                            layer_options={"GEOMETRY_NAME": GEOM})


def _write_geojson(frame: gpd.GeoDataFrame, target: Path, layer: Layer) -> None:
    pyogrio.write_dataframe(frame, target, layer=layer.slug, driver="GeoJSON",
                            geometry_type=_empty_type(layer, frame))


def dbf_names(names: list[str]) -> dict[str, str]:
    """Column -> a unique DBF field name of at most 10 UTF-8 bytes."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        candidate = _cut(name, DBF_NAME_BYTES)
        n = 1
        while candidate.lower() in taken:
            suffix = f"_{n}"
            candidate = _cut(name, DBF_NAME_BYTES - len(suffix)) + suffix
            n += 1
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def _cut(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _write_shp(frame: gpd.GeoDataFrame, target: Path, layer: Layer) -> None:
    shp_dir = target.parent / "shp"
    shp_dir.mkdir()
    renamed = frame.rename(columns=dbf_names([c for c in frame.columns if c != GEOM]))
    pyogrio.write_dataframe(renamed, shp_dir / f"{layer.slug}.shp", driver="ESRI Shapefile", encoding="UTF-8",
                            geometry_type=_empty_type(layer, frame))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for part in sorted(shp_dir.iterdir()):
            z.write(part, part.name)
    shutil.rmtree(shp_dir)


def _write_csv(frame: gpd.GeoDataFrame, target: Path, layer: Layer) -> None:
    geographic = frame.crs.is_geographic
    shapes = np.asarray(frame.geometry.array, dtype=object)
    table = pd.DataFrame({"wkt": shapely.to_wkt(shapes, rounding_precision=9 if geographic else 4)})
    if layer.geometry_family == "point":
        points = shapely.get_type_id(shapes) == shapely.GeometryType.POINT
        xs = np.where(points, shapely.get_x(shapes), np.nan)
        ys = np.where(points, shapely.get_y(shapes), np.nan)
        x_name, y_name = ("lon", "lat") if geographic else ("x", "y")
        table[x_name], table[y_name] = np.round(xs, 9 if geographic else 4), np.round(ys, 9 if geographic else 4)
    for col in frame.columns:
        if col != GEOM:
            table[col if col.lower() not in table.columns else f"{col}_1"] = frame[col].values
    table.to_csv(target, index=False, encoding="utf-8-sig")


WRITERS = {"gpkg": _write_gpkg, "geojson": _write_geojson, "shp": _write_shp, "csv": _write_csv}
