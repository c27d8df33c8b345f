"""Reading a register's layer set: one GeoPackage, a folder or zip of Shapefiles / CSVs, or a
single file. Each file goes through geo.services.readers (formats, Windows-1254 for Shapefiles
without .cpg, CSV coordinate columns); this module only finds the layers, including attribute
tables (a bağımsız bölüm table usually has no geometry), and keeps a failure per layer so the
dry run can name it instead of stopping at the first bad file."""

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pyogrio

from geo.errors import InvalidInput, KentError, UnreadableFile
from geo.services.readers import READ_ERRORS, Source, check_size, open_source, read_frame, unreadable

MANIFEST = "manifest.json"
SPATIAL = (".gpkg", ".shp", ".csv", ".geojson", ".json")


@dataclass
class FileLayer:
    name: str
    source: Source
    layer: str  # what read_frame is given
    columns: list[str] = field(default_factory=list)
    count: int = 0


@dataclass
class LayerSet:
    path: Path
    layers: dict[str, FileLayer] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # file layer -> why it could not be read
    warnings: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)  # an export's manifest.json, when present
    tmp: Path | None = None

    def columns(self) -> dict[str, list[str]]:
        return {name: fl.columns for name, fl in self.layers.items()}

    def read(self, name: str) -> pd.DataFrame:
        """The layer's rows (a GeoDataFrame when it has geometries)."""
        fl = self.layers[name]
        return read_frame(fl.source, fl.layer)

    def preview(self, name: str, n: int = 5) -> list[dict[str, Any]]:
        """The first rows' attributes, as text, for the mapping page."""
        frame = self.read(name).head(n)
        return [{c: ("" if pd.isna(v) else str(v)) for c, v in row.items() if c != "geometry"}
                for row in frame.to_dict("records")]

    def close(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self) -> "LayerSet":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_layer_set(path: str | Path) -> LayerSet:
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(f"Dosya ya da klasör yok: {path}. (No such file or folder.)")
    if path.is_dir():
        return _folder(LayerSet(path), path)
    check_size(path)
    if path.suffix.lower() == ".zip":
        tmp = Path(tempfile.mkdtemp(prefix="kent-register-"))
        try:
            _unzip(path, tmp)
        except (zipfile.BadZipFile, OSError) as e:
            shutil.rmtree(tmp, ignore_errors=True)
            raise unreadable(path, e) from e
        return _folder(LayerSet(path, tmp=tmp), tmp)
    found = LayerSet(path)
    _add_file(found, path)
    return found


def _unzip(path: Path, target: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name = PurePosixPath(info.filename)
            if info.is_dir() or name.is_absolute() or ".." in name.parts or name.parts[0] == "__MACOSX":
                continue
            out = target.joinpath(*name.parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, out.open("wb") as dst:
                shutil.copyfileobj(src, dst)


def _folder(found: LayerSet, folder: Path) -> LayerSet:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    for p in files:
        if p.name == MANIFEST:
            try:
                found.manifest = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found.warnings.append(f"{p.name} okunamadı. (The manifest could not be read.)")
        elif p.suffix.lower() in SPATIAL or (p.suffix.lower() == ".dbf" and not _has_shp(p)):
            _add_file(found, p)
    if not found.layers and not found.failed:
        raise UnreadableFile(f"{found.path.name} içinde okunacak katman yok (GeoPackage, Shapefile, CSV). "
                             "(No layers found.)")
    return found


def _has_shp(dbf: Path) -> bool:
    return any(dbf.with_suffix(s).exists() for s in (".shp", ".SHP"))


def _add_file(found: LayerSet, path: Path) -> None:
    ext = path.suffix.lower()
    try:
        check_size(path)
        if ext == ".gpkg":
            for name, _geom in pyogrio.list_layers(str(path)):
                _add(found, str(name), Source(str(path), ext), str(name))
            return
        if ext == ".dbf":  # an attribute table written without geometry
            source = Source(str(path), ".shp", encoding=None if path.with_suffix(".cpg").exists() else "cp1254")
        elif ext == ".csv":
            source = _csv(path)
        else:
            source = open_source(path)
        found.warnings += [f"{path.name}: {w}" for w in source.warnings]
        _add(found, path.stem, source, path.stem)
    except (KentError, *READ_ERRORS) as e:
        found.failed[path.stem] = getattr(e, "message", str(e))[:300]


def _csv(path: Path) -> Source:
    """A CSV with WKT or coordinate columns through the shared reader; a plain table otherwise."""
    try:
        return open_source(path)
    except InvalidInput:
        return Source(str(path), ".csv", {"AUTODETECT_TYPE": "NO"})


def _add(found: LayerSet, name: str, source: Source, layer: str) -> None:
    try:
        info = pyogrio.read_info(source.gdal_path, layer=None if source.ext == ".csv" else layer,
                                 encoding=source.encoding, force_feature_count=True, **source.options)
    except READ_ERRORS as e:
        found.failed[name] = str(e)[:300]
        return
    columns = [str(c) for c in info["fields"] if str(c).lower() not in source.drop]
    found.layers[name] = FileLayer(name, source, layer, columns, int(info.get("features") or 0))
