"""Open a GIS file for import: find what GDAL should read (zip members, CSV coordinate columns,
the layer to take) and read it into a GeoDataFrame, turning every reader failure into one clear
UnreadableFile. Shapefiles without a .cpg are read as Windows-1254 (Turkish), what older Turkish
GIS tools wrote."""

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors
from django.conf import settings

from geo.errors import InvalidInput, PayloadTooLarge, UnreadableFile
from geo.text import ascii_key, turkish_lower

from . import crs as kcrs

FORMATS: dict[str, str] = {
    ".gpkg": "GeoPackage", ".shp": "Shapefile", ".zip": "Shapefile (zip)", ".geojson": "GeoJSON",
    ".json": "GeoJSON", ".kml": "KML", ".kmz": "KMZ", ".dxf": "DXF", ".csv": "CSV",
}
ZIPPABLE = {".shp", ".gpkg", ".geojson", ".json", ".kml", ".dxf"}
# CSV coordinate columns, lowercased. Turkish surveyors' "sağa" is the easting, "yukarı" the northing.
CSV_LONLAT = (("lon", "lng", "long", "longitude", "boylam"), ("lat", "latitude", "enlem"))
CSV_XY = (("x", "easting", "saga", "sağa", "doğu", "dogu"), ("y", "northing", "yukari", "yukarı", "kuzey"))
CSV_WKT = ("wkt", "geom", "geometry", "the_geom", "geometri")
# Columns a driver invents rather than reads from the user's data.
DRIVER_COLUMNS = {"altitudemode", "tessellate", "extrude", "visibility", "draworder", "icon", "subclasses"}
DRIVER_SCHEMA_KINDS = {".kml", ".kmz", ".dxf"}
MIB = 1024 * 1024


@dataclass
class Source:
    gdal_path: str
    ext: str
    options: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    crs_hint: int | None = None  # CSV lon/lat columns
    drop: set[str] = field(default_factory=set)  # geometry kept twice, e.g. a WKT column next to lon/lat
    warnings: list[str] = field(default_factory=list)


def unreadable(path: Path, error: BaseException | str) -> UnreadableFile:
    return UnreadableFile(
        f"Dosya okunamadı: {path.name}. Kabul edilenler: GeoPackage, Shapefile (zip), GeoJSON, KML, DXF, "
        f"CSV. (The file could not be read.)", reason=str(error)[:300])


READ_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
               pyogrio.errors.GeometryError, pyogrio.errors.FeatureError, pyogrio.errors.CRSError,
               zipfile.BadZipFile, UnicodeError, ValueError, OSError)


def check_size(path: Path) -> None:
    ext = path.suffix.lower()
    try:
        files = list(path.parent.glob(f"{path.stem}.*")) if ext == ".shp" else [path]  # with its sidecars
        size = sum(p.stat().st_size for p in files)
        if ext == ".zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:  # unpacked size too: a small zip can hide a huge file
                size = max(size, sum(i.file_size for i in z.infolist()))
    except (OSError, zipfile.BadZipFile) as e:
        raise unreadable(path, e) from e
    refuse_if_too_large(size)


def refuse_if_too_large(size: int) -> None:
    """PayloadTooLarge when `size` bytes exceed settings.KENT_IMPORT_MAX_BYTES."""
    limit = settings.KENT_IMPORT_MAX_BYTES
    if size > limit:
        raise PayloadTooLarge(f"Dosya çok büyük: {size / MIB:.1f} MB, sınır {limit / MIB:.1f} MB. "
                              "(The file is over the import size limit.)", size=size, limit=limit)


def open_source(path: Path) -> Source:
    """Where GDAL should read, with the options the format needs."""
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise unreadable(path, f"unsupported extension {ext or '(none)'}")
    if ext == ".csv":
        return _csv_source(path)
    if ext == ".zip":
        return _zip_source(path)
    source = Source(str(path), ext)
    if ext == ".shp" and not path.with_suffix(".cpg").exists() and not path.with_suffix(".CPG").exists():
        _assume_turkish(source)
    return source


def _assume_turkish(source: Source) -> None:
    source.encoding = "cp1254"
    source.warnings.append("Shapefile'da .cpg yok; karakter kodlaması Windows-1254 (Türkçe) varsayıldı. "
                           "(No .cpg: assumed Windows-1254.)")


def _zip_source(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.startswith("__MACOSX/") and not Path(n).name.startswith("._")]
    except zipfile.BadZipFile as e:
        raise unreadable(path, e) from e
    data = [n for n in names if Path(n).suffix.lower() in ZIPPABLE]
    shps = [n for n in data if n.lower().endswith(".shp")]
    folders = {str(Path(n).parent) for n in shps}
    if len(data) == 1:
        inner, ext = data[0], Path(data[0]).suffix.lower()
    elif shps and len(shps) == len(data) and len(folders) == 1:
        folder = folders.pop()
        inner, ext = ("" if folder == "." else folder), ".shp"  # the folder: one layer per shapefile
    else:
        raise unreadable(path, f"zip must hold one data set, found {data or 'none'}")
    source = Source(f"/vsizip/{path.resolve()}/{inner}".rstrip("/"), ext)
    if ext == ".shp" and not any(n.lower().endswith(".cpg") for n in names):
        _assume_turkish(source)
    return source


def _csv_source(path: Path) -> Source:
    """Find the coordinate columns in the header and tell GDAL's CSV driver about them."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as e:
        raise unreadable(path, e) from e
    encoding = None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, encoding = head.decode("cp1254", errors="replace"), "cp1254"
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t|", key=first.count)
    columns = {ascii_key(c.strip()): c.strip() for c in next(csv.reader([first], delimiter=delimiter), [])}
    options = {"KEEP_GEOM_COLUMNS": "NO", "AUTODETECT_TYPE": "NO"}

    def pick(names: tuple[str, ...]) -> str | None:
        return next((columns[ascii_key(n)] for n in names if ascii_key(n) in columns), None)

    lon, lat = pick(CSV_LONLAT[0]), pick(CSV_LONLAT[1])
    x, y = pick(CSV_XY[0]), pick(CSV_XY[1])
    wkt = pick(CSV_WKT)
    hint = None
    if lon and lat:
        options.update(X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat)
        hint = kcrs.STORAGE_SRID
    elif x and y:
        options.update(X_POSSIBLE_NAMES=x, Y_POSSIBLE_NAMES=y)
    elif wkt:
        options.update(GEOM_POSSIBLE_NAMES=wkt)
    else:
        raise InvalidInput("CSV'de koordinat sütunu bulunamadı: lon/lat, x/y ya da WKT sütunu gerekli. "
                           "(The CSV needs lon/lat, x/y or WKT columns.)", columns=list(columns.values()))
    return Source(str(path), ".csv", options, encoding, hint, drop={turkish_lower(wkt)} if wkt else set())


def choose_layer(source: Source, wanted: str | None) -> str:
    path = Path(source.gdal_path)
    if source.ext == ".csv":
        return path.stem
    try:
        layers = pyogrio.list_layers(source.gdal_path)
    except READ_ERRORS as e:
        raise unreadable(path, e) from e
    names = [str(name) for name, geom_type in layers if geom_type is not None]
    if wanted:
        if wanted not in names:
            raise InvalidInput(f"Kaynak katman '{wanted}' dosyada yok. Var olanlar: {', '.join(names)}. "
                               "(No such source layer.)", layers=names)
        return wanted
    if not names:
        raise unreadable(path, "no layer with geometries")
    if len(names) > 1:
        raise InvalidInput(f"Dosyada birden çok katman var: {', '.join(names)}. Hangisinin aktarılacağını "
                           "seçin (--source-layer). (Several layers: choose one.)", layers=names)
    return names[0]


def read_frame(source: Source, layer_name: str) -> gpd.GeoDataFrame:
    try:
        return pyogrio.read_dataframe(
            source.gdal_path, layer=None if source.ext == ".csv" else layer_name, encoding=source.encoding,
            fid_as_index=True, force_2d=True, datetime_as_string=True, on_invalid="ignore", **source.options)
    except READ_ERRORS as e:
        raise unreadable(Path(source.gdal_path), e) from e
