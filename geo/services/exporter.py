"""Export a layer as GeoPackage, GeoJSON, zipped Shapefile or CSV in any CRS Kent supports.

Works for feature-store layers (each property becomes a column, the feature id is `kent_id`) and
for layers backed by a typed model such as numarataj.Yapi (its concrete non-geometry fields are
the columns, foreign keys as `<name>_id`). The geometry column is `geom`; a model's other
geometry fields (e.g. Csbm.baslangic) are left out, since a layer file carries one geometry.

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
from django.contrib.gis.geos import GEOSGeometry

from geo.errors import InvalidInput
from geo.models import Layer, Right

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


def export_layer(layer: Layer, fmt: str, srid: str | int, *, user) -> Path:
    """Write the layer to a new temporary directory and return the file (the caller removes its
    parent directory). `user=None` is an operator at the command line (no rights check)."""
    if user is not None:
        permissions.require(user, layer, Right.VIEW)
    fmt = check_format(fmt)
    srid = kcrs.srid_of(kcrs.parse_crs(srid))
    frame = layer_frame(layer, srid)
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


def layer_frame(layer: Layer, srid: int) -> gpd.GeoDataFrame:
    """The layer's rows as a GeoDataFrame in `srid`, whichever table holds them."""
    if layer.is_feature_store:
        columns, geoms = _feature_store_rows(layer)
    else:
        columns, geoms = _model_rows(layer)
    shapes = np.asarray(shapely.from_wkb([None if g is None else bytes(g.wkb) for g in geoms]), dtype=object)
    shapes = kcrs.reproject(shapes, kcrs.STORAGE_SRID, srid)
    data = {name: _column(values) for name, values in columns.items()}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(shapes, crs=f"EPSG:{srid}", name=GEOM))


def _feature_store_rows(layer: Layer) -> tuple[dict[str, list], list[GEOSGeometry | None]]:
    rows = list(layer.rows().order_by("pk").values_list("pk", "geom", "properties"))
    names = list(layer.attribute_schema.get("properties", {}))
    for _, _, props in rows:
        names.extend(k for k in props if k not in names)
    columns: dict[str, list] = {"kent_id": [pk for pk, _, _ in rows]}
    for name in names:
        if name.lower() not in {"kent_id", GEOM}:
            columns[name] = [props.get(name) for _, _, props in rows]
    return columns, [geom for _, geom, _ in rows]


def _model_rows(layer: Layer) -> tuple[dict[str, list], list[GEOSGeometry | None]]:
    model = layer.source_model()
    fields = model._meta.concrete_fields
    geometries = [f for f in fields if hasattr(f, "geom_type")]
    geom_field = next((f for f in geometries if f.name == GEOM), geometries[0])
    plain = [f.attname for f in fields if not hasattr(f, "geom_type")]
    rows = list(layer.rows().order_by("pk").values_list(geom_field.attname, *plain))
    columns = {name: [row[i + 1] for row in rows] for i, name in enumerate(plain)}
    return columns, [row[0] for row in rows]


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
