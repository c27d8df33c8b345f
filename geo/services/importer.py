"""Import a GIS file into a feature-store layer: GeoPackage, Shapefile (.shp or zipped), GeoJSON,
KML/KMZ, DXF, or CSV with lon/lat, x/y or WKT columns.

The rule, as a municipal GIS office expects it: an import is all-or-nothing. Every row is
transformed to the storage CRS (EPSG:4326) and checked exactly like an edit in the map editor
(`validation.clean_geometry`, `validation.check_attributes`). Safely repairable geometries are
repaired and reported (row, fid, reason) and imported. If any row is refused, nothing is written
and `ImportRefused` lists every refused row with its reason, so staff fix the file and import it
again. With `skip_invalid=True` the good rows are imported and the refused ones only reported.

CRS: the file's own, or the one given (which wins over the file's, as "assign projection" in a
desktop GIS does, with a warning). A file without a CRS needs one given; CSV lon/lat columns mean
EPSG:4326. A CRS the coordinates cannot be in (e.g. 4326 for TM metres) is refused.
Attributes: names as in the file, lower-cased the Turkish way (İLÇE -> ilçe, ADI -> adı; `geo.text`);
values as JSON (dates as ISO strings, NaN as null). CSV values are text unless the layer schema
declares a type; declared types are coerced where it is lossless (12.0 -> 12, "12,5" -> 12.5, and
for booleans EVET/HAYIR, DOĞRU/YANLIŞ, VAR/YOK, E/H, true/false, 1/0 in any case). Heights (Z)
are dropped: the store is 2D. Closed DXF polylines become polygons when the target layer holds
areas (CAD keeps parcels that way).
Shapefiles without a .cpg are read as Windows-1254 (Turkish), what older Turkish GIS tools wrote.

Imports run inside the request or the command (one transaction, the file held in memory, capped
by settings.KENT_IMPORT_MAX_BYTES); a background worker would take larger files past one machine.
"""

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone

from geo.errors import InvalidCRS, InvalidGeometry, InvalidInput
from geo.models import Change, Feature, Layer, Right
from geo.signals import changes_recorded
from geo.text import parse_bool, turkish_lower

from . import crs as kcrs
from . import history, permissions
from .readers import DRIVER_COLUMNS, DRIVER_SCHEMA_KINDS, Source, check_size, choose_layer, open_source, read_frame
from .validation import attribute_checker, check_attributes, clean_geometry

BATCH = 1000

Progress = Callable[[int, int], None]


@dataclass
class RowNote:
    row: int  # 1-based position in the file
    fid: int | str | None  # the file's own feature id, as a desktop GIS shows it
    reason: str
    fields: list[str] = field(default_factory=list)  # the attributes at fault, when it is them


@dataclass
class ImportReport:
    source: str
    source_layer: str = ""
    crs: str = ""
    crs_origin: str = ""  # "file", "given" or "lon/lat columns"
    rows_read: int = 0
    imported: int = 0
    repaired: list[RowNote] = field(default_factory=list)
    refused: list[RowNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skip_invalid: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImportRefused(InvalidInput):
    """Some rows were refused and nothing was written; carries the full report."""

    def __init__(self, report: ImportReport) -> None:
        n = len(report.refused)
        super().__init__(
            f"{n} satır reddedildi, hiçbir kayıt yazılmadı; dosyayı düzeltip yeniden deneyin. "
            f"({n} rows refused, nothing was imported; fix the file and retry.)",
            refused=[asdict(r) for r in report.refused[:100]], refused_count=n)
        self.report = report


def import_file(path: str | Path, layer: Layer, *, user, crs: str | int | None = None,
                source_layer: str | None = None, skip_invalid: bool = False,
                progress: Progress | None = None) -> ImportReport:
    """Import `path` into `layer`. `user=None` is an operator at the command line (no rights check)."""
    if not layer.is_feature_store:
        raise InvalidInput(f"'{layer.slug}' katmanı genel detay deposunda değil ({layer.source}); yalnız "
                           "deposu geo.Feature olan katmanlara dosya aktarılabilir. "
                           "(Only feature-store layers can be import targets.)", source=layer.source)
    if user is not None:
        permissions.require(user, layer, Right.EDIT_DATA)
    path = Path(path)
    check_size(path)
    source = open_source(path)
    report = ImportReport(source=path.name, skip_invalid=skip_invalid, warnings=list(source.warnings))
    report.source_layer = choose_layer(source, source_layer)
    frame = read_frame(source, report.source_layer)
    srid = _resolve_crs(frame, source, crs, report)
    rows = _prepare(frame, layer, srid, source, report, progress)
    if report.refused and not skip_invalid:
        raise ImportRefused(report)
    _write(rows, layer, user, report)
    return report


def _resolve_crs(frame: gpd.GeoDataFrame, source: Source, given: str | int | None, report: ImportReport) -> int:
    given = given or None
    file_srid = None
    if frame.crs is not None:
        try:
            file_srid = kcrs.srid_of(kcrs.parse_crs(frame.crs))
        except InvalidCRS:
            if given is None:
                raise
    if given is not None:
        srid, report.crs_origin = kcrs.srid_of(kcrs.parse_crs(given)), "given"
        if frame.crs is not None and file_srid != srid:
            report.warnings.append(f"Dosyanın koordinat sistemi ({frame.crs.name}) yerine verilen EPSG:{srid} "
                                   "kullanıldı. (The given CRS overrides the file's.)")
    elif file_srid is not None:
        srid, report.crs_origin = file_srid, "file"
    elif source.crs_hint is not None:
        srid, report.crs_origin = source.crs_hint, "lon/lat columns"
    else:
        raise InvalidCRS("Dosyada koordinat sistemi bilgisi yok; koordinat sistemini belirtin (ör. EPSG:5254). "
                         f"Desteklenenler: {kcrs.supported_list()}. (The file has no CRS; give one.)")
    report.crs = f"EPSG:{srid}"
    return srid


def _to_storage(geoms: np.ndarray, srid: int, report: ImportReport) -> np.ndarray:
    """Check the coordinates fit `srid`, transform them to the storage CRS, warn if off Türkiye."""
    bounds = tuple(float(v) for v in shapely.total_bounds(geoms))
    if any(math.isnan(v) for v in bounds):  # no geometries at all: each row is refused below
        return geoms
    kcrs.check_coordinates(bounds, srid)
    geoms = kcrs.reproject(geoms, srid, kcrs.STORAGE_SRID)
    if kcrs.outside_turkey(tuple(float(v) for v in shapely.total_bounds(geoms))):
        report.warnings.append("Detaylar Türkiye dışında görünüyor; koordinat sistemini kontrol edin. "
                               "(Features lie outside Türkiye: check the CRS.)")
    return geoms


def _close_cad_outlines(geoms: np.ndarray, report: ImportReport) -> np.ndarray:
    """CAD drawings keep parcels and buildings as closed polylines; a polygon layer wants areas."""
    closed = (shapely.get_type_id(geoms) == shapely.GeometryType.LINESTRING) & shapely.is_closed(geoms) \
        & (shapely.get_num_coordinates(geoms) >= 4)
    if closed.any():
        geoms = geoms.copy()
        for i in np.flatnonzero(closed):
            geoms[i] = shapely.Polygon(shapely.get_coordinates(geoms[i]))
        report.warnings.append(f"{int(closed.sum())} kapalı DXF çizgisi alana çevrildi. "
                               "(Closed DXF polylines were read as polygons.)")
    return geoms


def _prepare(frame: gpd.GeoDataFrame, layer: Layer, srid: int, source: Source, report: ImportReport,
             progress: Progress | None) -> list[tuple[GEOSGeometry, dict, str]]:
    """Validate every row; return the storable ones as (geometry, properties, repair reason)."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    if source.ext == ".dxf" and layer.geometry_family == "polygon":
        geoms = _close_cad_outlines(geoms, report)
    geoms = _to_storage(geoms, srid, report)
    columns = _attribute_columns(frame, source)
    declared = layer.attribute_schema.get("properties", {})
    checker = attribute_checker(layer)  # compiled once for every row
    values = {name: frame[col].tolist() for name, col in columns.items()}
    fids = frame.index.tolist()
    total = report.rows_read = len(frame)
    rows: list[tuple[GEOSGeometry, dict, str]] = []
    for i in range(total):
        note = RowNote(row=i + 1, fid=_json_value(fids[i]), reason="")
        props = {name: _json_value(values[name][i], csv=source.ext == ".csv") for name in columns}
        try:
            if geoms[i] is None or shapely.is_empty(geoms[i]):
                raise InvalidGeometry("Geometri boş ya da okunamadı. (Empty or unreadable geometry.)")
            clean = clean_geometry(GEOSGeometry(memoryview(shapely.to_wkb(geoms[i])), srid=kcrs.STORAGE_SRID),
                                   layer)
            props = check_attributes(layer, _coerce(props, declared), checker)
        except (InvalidGeometry, InvalidInput) as e:
            note.reason = e.message
            note.fields = [*e.detail.get("missing", []), *e.detail.get("invalid", [])]
            report.refused.append(note)
        else:
            if clean.repaired:
                note.reason = clean.reason
                report.repaired.append(note)
            rows.append((clean.geom, props, clean.reason))
        if progress and ((i + 1) % 500 == 0 or i + 1 == total):
            progress(i + 1, total)
    return rows


def _attribute_columns(frame: gpd.GeoDataFrame, source: Source) -> dict[str, str]:
    """Lowercased attribute name -> column, without the columns drivers invent."""
    result: dict[str, str] = {}
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        name = turkish_lower(str(col).strip())
        invented = source.ext in DRIVER_SCHEMA_KINDS and (name in DRIVER_COLUMNS or frame[col].isna().all())
        if invented or name in source.drop:
            continue
        if name in result:
            raise InvalidInput(f"Öznitelik adları küçük harfe çevrilince çakışıyor: {result[name]}, {col}. "
                               "(Attribute names clash when lowercased.)", columns=[result[name], str(col)])
        result[name] = col
    return result


def _json_value(value: Any, *, csv: bool = False) -> Any:
    """A file value as a JSON value: numpy scalars unwrapped, NaN/NaT as null, dates as ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_json_value(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str):
        return None if csv and value == "" else value
    if isinstance(value, (bool, int, float, dict)):
        return value
    return None if pd.isna(value) is True else str(value)


def _coerce(props: dict, declared: dict[str, dict]) -> dict:
    """Convert values to the schema's declared types where nothing is lost (files type loosely)."""
    out = dict(props)
    for name, spec in declared.items():
        value, kind = out.get(name), spec.get("type")
        if value is None or isinstance(value, bool):
            continue
        if kind == "string" and isinstance(value, (int, float)):
            out[name] = str(int(value) if isinstance(value, float) and value.is_integer() else value)
        elif kind in ("integer", "number") and (number := _number(value)) is not None:
            if number.is_integer():
                out[name] = int(number)
            elif kind == "number":
                out[name] = number
        elif kind == "boolean" and isinstance(value, (str, int)):
            flag = parse_bool(value)
            out[name] = value if flag is None else flag
    return out


def _number(value: Any) -> float | None:
    """A number from a file value; '12,5' (Turkish decimal comma) reads as 12.5."""
    try:
        number = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _write(rows: list[tuple[GEOSGeometry, dict, str]], layer: Layer, user, report: ImportReport) -> None:
    """One transaction: the features, one 'create' change each, and the layer's update time."""
    actor = user if user is not None and user.is_authenticated else None
    label = history.model_label(Feature)
    with transaction.atomic():
        features = Feature.objects.bulk_create(
            [Feature(layer=layer, geom=geom, properties=props) for geom, props, _ in rows], batch_size=BATCH)
        comment = f"içe aktarıldı (imported): {report.source}"
        changes = Change.objects.bulk_create(
            [Change(layer=layer, model=label, object_id=str(f.pk), action=Change.Action.CREATE, user=actor,
                    before=None, after=history.snapshot(f),
                    comment=(f"{comment}; onarıldı: {reason}" if reason else comment)[:300])
             for f, (_, _, reason) in zip(features, rows, strict=True)], batch_size=BATCH)
        if features:
            Layer.objects.filter(pk=layer.pk).update(data_updated_at=timezone.now())
        changes_recorded.send(sender=Change, changes=changes)
    report.imported = len(features)
