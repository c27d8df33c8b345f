"""Export and sync: the whole register, or what changed since a moment or since the last export,
as the layered files an import reads (a GeoPackage, a zip of Shapefiles, a zip of CSVs with WKT)
through a profile, with a manifest: counts, CRS, time span, SHA-256 checksums. Each export is
logged (numarataj.RegisterExport), so "since the last export" needs no date."""

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from geo.errors import InvalidInput
from geo.files import sha256_of
from geo.services import crs as kcrs
from geo.services.exporter import dbf_names
from numarataj.models import Ilce, RegisterExport
from numarataj.models.adres import TESCIL_BEKLIYOR

from . import changes as register_changes
from .frames import TESCIL_COLUMN, frames
from .profiles import Profile, default_profile
from .sources import MANIFEST
from .validate import Cancelled, Progress, _stop_if

FORMATS = {"gpkg": ".gpkg", "shp": ".zip", "csv": ".zip"}
LAST = "last"


@dataclass
class ExportResult:
    path: Path
    manifest: dict[str, Any]


def export_register(target: str | Path, *, fmt: str = "gpkg", profile: Profile | None = None,
                    srid: int | str | None = None, ilce: Ilce | None = None, since: datetime | str | None = None,
                    user=None, progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
    """Write the register (or its changes since `since`, a moment or "last") to `target`."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Bilinmeyen biçim {fmt!r}; olanlar: {', '.join(FORMATS)}. (Unknown format.)")
    profile = profile or default_profile()
    srid = kcrs.srid_of(kcrs.parse_crs(srid or _local_srid()))
    target = Path(target)
    if target.suffix.lower() != FORMATS[fmt]:
        target = target.with_name(target.name + FORMATS[fmt])
    moment = _since(since)
    now = timezone.now()
    ilceler = [ilce] if ilce is not None else list(Ilce.objects.order_by("pk"))
    found = register_changes.since(moment) if moment is not None else None
    _stop_if(cancelled)
    tables = frames(profile, ilceler, srid, found)
    manifest: dict[str, Any] = {
        "bicim": fmt, "crs": f"EPSG:{srid}", "profil": profile.name or "varsayilan",
        "ilce": [str(i) for i in ilceler], "olusturma": now.isoformat(),
        "donem": {"baslangic": moment.isoformat() if moment else None, "bitis": now.isoformat()},
        "katmanlar": {name: len(df) for name, df in tables.items()},
        "tescil_bekleyen": _awaiting(tables),
    }
    if found is not None:
        manifest["degisiklikler"] = found.counts()
    work = Path(tempfile.mkdtemp(prefix="kent-export-"))
    try:
        files = WRITERS[fmt](tables, work, target.stem, progress, cancelled)
        manifest["dosyalar"] = {p.name: sha256_of(p) for p in files}
        _package(fmt, files, target, manifest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with transaction.atomic():
        RegisterExport.objects.create(profile=profile.name, since=moment, manifest=manifest,
                                      user=user if user is not None and user.is_authenticated else None)
    return ExportResult(target, manifest)


def _local_srid() -> int:
    return settings.LOCAL_SRID


def _since(since: datetime | str | None) -> datetime | None:
    if since is None or since == "":
        return None
    if since == LAST:
        last = RegisterExport.objects.order_by("-at").first()
        if last is None:
            raise InvalidInput("Daha önce dışa aktarım yapılmamış; bir tarih verin ya da kaydın tamamını aktarın. "
                               "(No earlier export: give a date or export everything.)")
        return last.at
    if isinstance(since, str):
        try:
            since = datetime.fromisoformat(since)
        except ValueError:
            raise InvalidInput(f"Tarih anlaşılamadı: {since!r} (ör. 2026-01-31). (Unreadable date.)") from None
    return since if timezone.is_aware(since) else timezone.make_aware(since)


def _awaiting(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    return {name: int((df[TESCIL_COLUMN] == TESCIL_BEKLIYOR).sum()) for name, df in tables.items()
            if TESCIL_COLUMN in df.columns}




def _steps(tables: dict[str, pd.DataFrame], progress: Progress | None, cancelled: Cancelled | None):
    for k, (name, df) in enumerate(tables.items()):
        _stop_if(cancelled)
        yield name, df
        if progress:
            progress(k + 1, len(tables))


def _write_gpkg(tables, work: Path, stem: str, progress, cancelled) -> list[Path]:
    path = work / f"{stem}.gpkg"
    for name, df in _steps(tables, progress, cancelled):
        geometry_type = _empty_type(df)
        pyogrio.write_dataframe(df, path, layer=name, driver="GPKG", append=False,
                                geometry_type=geometry_type)
    return [path]


def _empty_type(df: pd.DataFrame) -> str | None:
    if isinstance(df, gpd.GeoDataFrame) and df.empty:
        return "Unknown"
    return None


def _write_shp(tables, work: Path, stem: str, progress, cancelled) -> list[Path]:
    out = []
    for name, df in _steps(tables, progress, cancelled):
        renamed = df.rename(columns=dbf_names([c for c in df.columns if c != "geometry"]))
        target = work / (f"{name}.shp" if isinstance(df, gpd.GeoDataFrame) else f"{name}.dbf")
        pyogrio.write_dataframe(renamed, target, driver="ESRI Shapefile", encoding="UTF-8",
                                geometry_type=_empty_type(df))
        out += sorted(p for p in work.iterdir() if p.stem == name)
    return out


def _write_csv(tables, work: Path, stem: str, progress, cancelled) -> list[Path]:
    out = []
    for name, df in _steps(tables, progress, cancelled):
        table = pd.DataFrame(df.drop(columns="geometry")) if isinstance(df, gpd.GeoDataFrame) else df.copy()
        if isinstance(df, gpd.GeoDataFrame):
            precision = 9 if df.crs is not None and df.crs.is_geographic else 4
            table.insert(0, "WKT", shapely.to_wkt(df.geometry.array, rounding_precision=precision))
        path = work / f"{name}.csv"
        table.to_csv(path, index=False, encoding="utf-8-sig")
        out.append(path)
    return out


def _package(fmt: str, files: list[Path], target: Path, manifest: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=2, default=str)
    if fmt == "gpkg":
        shutil.copyfile(files[0], target)
        target.with_name(target.name + ".manifest.json").write_text(text, encoding="utf-8")
        return
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            z.write(p, p.name)
        z.writestr(MANIFEST, text)


WRITERS = {"gpkg": _write_gpkg, "shp": _write_shp, "csv": _write_csv}
