"""File rows -> register records: the mapped fields read, cleaned and converted (value maps,
integers, door numbers, CSBM names), geometries moved to the storage CRS. A row that cannot be
read is refused with the reason; a layer that cannot be read at all (no such layer, unknown CRS,
unreadable file) is refused as a whole, as row 0."""

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidCRS, InvalidInput, KentError
from geo.services import crs as kcrs
from geo.services.exporter import dbf_names
from geo.text import clean_spaces
from numarataj.services.rules import normalize_door_number

from .profiles import CSBM_TURU, KULLANIM, LayerMap, Profile, fold
from .schema import REQUIRED, RegisterLayer
from .sources import LayerSet

# UTF-8 Turkish letters read as Windows-1254 ("Ã§" for ç, "Ä±" for ı, "ÅŸ" for ş), or bytes no
# encoding could read: the file's encoding is not the one it was read with.
MOJIBAKE = re.compile("Ã[§¶¼‡–œ]|Ä[±ŸžŞ°]|Å[Ÿž]|\ufffd")
NUMBERED = re.compile(r"^(\d+)\s*\.?$")
SUFFIXES = {"cadde": ("caddesi", "cadde", "cad", "cd"), "sokak": ("sokagi", "sokak", "sok", "sk"),
            "bulvar": ("bulvari", "bulvar", "blv", "bul"), "meydan": ("meydani", "meydan", "mey", "myd"),
            "kume_evler": ("kume evleri", "kume evler")}


@dataclass
class RowNote:
    layer: str
    row: int  # 1-based position in the file; 0: the layer as a whole
    fid: Any
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Record:
    layer: str
    row: int
    fid: Any
    values: dict[str, Any] = field(default_factory=dict)  # register field -> value (mapped fields only)
    geom: BaseGeometry | None = None  # storage lon/lat

    @property
    def code(self) -> str:
        return self.values.get("kod") or ""

    def note(self, reason: str) -> RowNote:
        return RowNote(self.layer, self.row, self.fid, self.code, reason)


@dataclass
class LayerRead:
    records: list[Record] = field(default_factory=list)
    refused: list[RowNote] = field(default_factory=list)
    source: str = ""
    crs: str = ""
    rows: int = 0


def read_layer(layers: LayerSet, reg: RegisterLayer, lmap: LayerMap, profile: Profile) -> LayerRead:
    out = LayerRead(source=lmap.source)
    whole = RowNote(reg.name, 0, None, "", "")
    if lmap.source not in layers.layers:
        whole.reason = layers.failed.get(lmap.source) or (
            f"Dosyada '{lmap.source}' katmanı yok. Olanlar: {', '.join(layers.layers) or '—'}. (No such file layer.)")
        out.refused.append(whole)
        return out
    try:
        frame = layers.read(lmap.source)
        found = {name: column_in(col, list(frame.columns)) for name, col in lmap.fields.items()}
        missing = [lmap.fields[name] for name, col in found.items() if col is None]
        if missing:
            raise InvalidInput(f"'{lmap.source}' katmanında alan yok: {', '.join(missing)}. "
                               f"(Fields missing from the file layer.)")
        geoms = _geometries(frame, reg, profile, layers, out) if reg.geometry else None
    except KentError as e:
        whole.reason = e.message
        out.refused.append(whole)
        return out
    out.rows = len(frame)
    columns = {name: frame[col].tolist() for name, col in found.items()}
    fids = frame.index.tolist()
    for i in range(len(frame)):
        rec = Record(reg.name, i + 1, _plain(fids[i]))
        try:
            rec.values = _values(reg, lmap, {name: values[i] for name, values in columns.items()})
            if geoms is not None:
                rec.geom = _check_geometry(geoms[i], reg.geometry)
        except InvalidInput as e:
            out.refused.append(rec.note(e.message))
            continue
        out.records.append(rec)
    return out


def column_in(name: str, columns: list[str]) -> str | None:
    """The file column a profile names: as written, in another case, or cut to a DBF field's
    10 bytes (a Shapefile keeps MAHALLE_KO of MAHALLE_KODU)."""
    if name in columns:
        return name
    lower = {str(c).lower(): c for c in columns}
    return lower.get(name.lower()) or lower.get(dbf_names([name])[name].lower())


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _geometries(frame: pd.DataFrame, reg: RegisterLayer, profile: Profile, layers: LayerSet,
                out: LayerRead) -> np.ndarray:
    if "geometry" not in frame.columns:
        raise InvalidInput("Katmanda geometri yok. (The layer has no geometries.)")
    given = profile.crs or layers.manifest.get("crs") or ""
    if frame.crs is not None:
        srid = kcrs.srid_of(kcrs.parse_crs(frame.crs))  # InvalidCRS: an unknown or unsupported CRS
    elif given:
        srid = kcrs.srid_of(kcrs.parse_crs(given))
    else:
        raise InvalidCRS("Katmanda koordinat sistemi bilgisi yok; profile 'crs' ekleyin (ör. EPSG:5255). "
                         f"Desteklenenler: {kcrs.supported_list()}. (The layer has no CRS; give one.)")
    out.crs = f"EPSG:{srid}"
    geoms = np.asarray(frame.geometry.array, dtype=object)
    return kcrs.reproject(geoms, srid, kcrs.STORAGE_SRID)


def _check_geometry(geom: BaseGeometry | None, family: str) -> BaseGeometry:
    if geom is None or shapely.is_empty(geom):
        raise InvalidInput("Geometri boş ya da okunamadı. (Empty or unreadable geometry.)")
    x0, y0, x1, y1 = geom.bounds
    box = kcrs.TURKEY_BOUNDS
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x0 < box[0] or y0 < box[1] or x1 > box[2] or y1 > box[3]:
        raise InvalidInput("Koordinatlar Türkiye dışında: koordinat sistemi yanlış ya da X/Y yer değiştirmiş. "
                           "(Coordinates outside Türkiye: wrong CRS or swapped X/Y.)")
    kind = geom.geom_type
    if family == "point":
        if kind == "MultiPoint" and len(geom.geoms) == 1:
            return geom.geoms[0]
        if kind == "Point":
            return geom
    elif family == "line" and kind in {"LineString", "MultiLineString"}:
        return shapely.MultiLineString([geom]) if kind == "LineString" else geom
    elif family == "polygon" and kind in {"Polygon", "MultiPolygon"}:
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in {"Polygon", "MultiPolygon"}]
            geom = shapely.union_all(polys) if polys else geom
        if geom.geom_type == "Polygon":
            return shapely.MultiPolygon([geom])
        if geom.geom_type == "MultiPolygon":
            return geom
    raise InvalidInput(f"Geometri türü {kind} bu katmana uymuyor. (Wrong geometry type for this layer.)")


def text(value: Any) -> str:
    """A cell as clean text: NaN/None -> '', 12.0 -> '12' (numeric codes read from a DBF)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_spaces(str(_plain(value)))


def _values(reg: RegisterLayer, lmap: LayerMap, raw: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, cell in raw.items():
        value = text(cell)
        if MOJIBAKE.search(value):
            raise InvalidInput(f"'{lmap.fields[name]}' değeri okunamayan karakterler içeriyor ({value!r}): dosyanın "
                               "karakter kodlaması yanlış (.cpg). (Unreadable encoding.)")
        value = lmap.value(name, value)
        f = reg.field(name)
        if f.kind == "int" and value:
            try:
                values[name] = int(float(value.replace(",", ".")))
            except ValueError:
                raise InvalidInput(f"'{lmap.fields[name]}' bir tam sayı olmalı: {value!r}. (Not an integer.)") from None
        elif f.many:
            values[name] = [c.strip() for c in value.split(",") if c.strip()]
        else:
            values[name] = value
    missing = [lmap.fields.get(n, n.upper()) for n in REQUIRED[reg.name] if not values.get(n)]
    if missing:
        raise InvalidInput(f"Boş ya da eşlenmemiş zorunlu alan: {', '.join(missing)}. (Required field empty.)")
    return PARSERS.get(reg.name, lambda v: v)(values)


def _csbm(values: dict[str, Any]) -> dict[str, Any]:
    tur = CSBM_TURU.get(fold(values.get("tur", "")))
    if tur is None:
        raise InvalidInput(f"Bilinmeyen CSBM türü {values.get('tur', '')!r}; profilin değer eşlemesine ekleyin. "
                           "(Unknown street kind: add it to the profile's value map.)")
    values["tur"] = tur
    name = values.get("ad", "")
    words = name.split(" ")
    for suffix in SUFFIXES[tur]:  # 'Atatürk Caddesi' -> 'Atatürk', '1203. Sokak' -> '1203.'
        n = len(suffix.split(" "))
        if len(words) > n and fold(" ".join(words[-n:])) == fold(suffix):
            name = " ".join(words[:-n])
            break
    m = NUMBERED.match(name)
    values["ad"], values["numara"] = ("", int(m.group(1))) if m else (name, None)
    return values


def _yapi(values: dict[str, Any]) -> dict[str, Any]:
    if "kullanim" in values:
        use = KULLANIM.get(fold(values["kullanim"]))
        if use is None:
            raise InvalidInput(f"Bilinmeyen yapı kullanımı {values['kullanim']!r}; profilin değer eşlemesine "
                               "ekleyin. (Unknown building use.)")
        values["kullanim"] = use
    return values


def _adres(values: dict[str, Any]) -> dict[str, Any]:
    values["kapi_no"] = normalize_door_number(values["kapi_no"])  # InvalidInput says why
    if "taraf" in values and values["taraf"] not in {"sol", "sag", ""}:
        raise InvalidInput(f"Taraf 'sol', 'sag' ya da boş olmalı: {values['taraf']!r}. (Unknown side.)")
    return values


PARSERS = {"csbm": _csbm, "yapi": _yapi, "adres": _adres}
