"""A MAKS-style register written the way municipalities' systems export it, from the demo
district (data.generator.build_district): upper-case Turkish field names, abbreviated street
kinds, Shapefiles in Windows-1254 without a .cpg, the streets in ED50 / UTM 36N, the rest in
TUREF / TM33, bağımsız bölümler as a CSV table without geometry.

`maks_tables` gives the tables (so a test can break a row), `write_maks_set` writes them."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from data.generator import build_district
from data.register import District
from geo.services import crs as kcrs

TUR = {"cadde": "CD", "sokak": "SK", "bulvar": "BLV", "meydan": "MEY", "kume_evler": "KUME EVLER"}
USE = {"konut": "KONUT", "isyeri": "İŞYERİ", "karma": "KARMA", "kamu": "KAMU", "egitim": "EĞİTİM",
       "saglik": "SAĞLIK", "ibadet": "İBADET", "diger": "DİĞER"}
CRS = {"MAHALLE": 5255, "YOL": 23036, "YAPI": 5255, "KAPI": 5255}

_cache: dict[int, District] = {}


def district(seed: int = 1) -> District:
    if seed not in _cache:
        _cache[seed] = build_district(seed)
    return _cache[seed]


def maks_tables(d: District) -> dict[str, pd.DataFrame]:
    """File layer -> table with a 'geometry' column of shapely lon/lat geometries (none for BB)."""
    yapi_kodu = {y.key: y.maks_id for y in d.yapilar}
    csbm_kodu = {s.key: s.uavt_kodu for s in d.csbmler}
    mah = pd.DataFrame({"MAHALLE_KODU": [m.uavt_kodu for m in d.mahalleler], "MAH_ADI": [m.ad for m in d.mahalleler],
                        "ILCE_ADI": "Yenikent", "IL_ADI": "Ankara", "IL_KODU": 6,
                        "geometry": [m.geom for m in d.mahalleler]})
    yol = pd.DataFrame({"CSBM_KODU": [s.uavt_kodu for s in d.csbmler],
                        "YOL_ADI": [s.ad or str(s.numara) for s in d.csbmler],
                        "YOL_TURU": [TUR[s.tur] for s in d.csbmler], "geometry": [s.geom for s in d.csbmler]})
    yapi = pd.DataFrame({"YAPI_KODU": [y.maks_id for y in d.yapilar],
                         "ADA": [str(100 + k // 8) for k in range(len(d.yapilar))],
                         "PARSEL": [str(1 + k % 8) for k in range(len(d.yapilar))],
                         "KAT_SAYISI": [y.kat_ust for y in d.yapilar],
                         "KULLANIM": [USE[str(y.kullanim)] for y in d.yapilar],
                         "geometry": [y.geom for y in d.yapilar]})
    kapi = pd.DataFrame({"UAVT_KODU": [a.uavt_kodu for a in d.adresler], "KAPI_NO": [a.kapi_no for a in d.adresler],
                         "CSBM_KODU": [csbm_kodu[a.csbm] for a in d.adresler],
                         "YAPI_KODU": [yapi_kodu[a.yapi] for a in d.adresler],
                         "geometry": [a.geom for a in d.adresler]})
    bb = pd.DataFrame([{"ADRES_NO": b.adres_kodu, "UAVT_KODU": a.uavt_kodu, "IC_KAPI_NO": b.ic_kapi_no, "KAT": b.kat,
                        "KULLANIM": b.kullanim.upper()} for a in d.adresler for b in a.bolumler])
    return {"MAHALLE": mah, "YOL": yol, "YAPI": yapi, "KAPI": kapi, "BAGIMSIZ_BOLUM": bb}


def write_maks_set(folder: Path, tables: dict[str, pd.DataFrame], *, labelled: dict[str, int] | None = None,
                   encoding: str = "cp1254") -> Path:
    """Shapefiles (cp1254, .cpg removed) in their CRS, the BB table as CSV; returns the folder.
    `labelled`: a CRS to write in a layer's .prj instead of the one its coordinates are in."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if "geometry" not in table.columns:
            table.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
            continue
        srid = CRS[name]
        geoms = kcrs.reproject(np.asarray(table["geometry"].tolist(), dtype=object), 4326, srid)
        label = (labelled or {}).get(name, srid)
        frame = gpd.GeoDataFrame(table.drop(columns="geometry"), geometry=list(geoms), crs=f"EPSG:{label}")
        frame.to_file(folder / f"{name}.shp", engine="pyogrio", encoding=encoding)
        (folder / f"{name}.cpg").unlink(missing_ok=True)
    return folder
