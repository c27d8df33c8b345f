"""The register as tables in a profile's names: one frame per register layer (and the removed
rows in a changes export), in the order an import reads them. Doors and units without an
official code say so in TESCIL_DURUMU ("Tescil bekliyor (awaiting registration)")."""

from collections import defaultdict
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db.models import Q, QuerySet

from geo.services import crs as kcrs
from numarataj.models import Adres, BagimsizBolum, Csbm, Ilce, Mahalle, Yapi
from numarataj.models.adres import TESCIL_BEKLIYOR

from .changes import Changes
from .profiles import LayerMap, Profile

TESCIL_COLUMN, CHANGE_COLUMN = "TESCIL_DURUMU", "DEGISIKLIK"
TESCILLI = "Tescilli (registered)"
REMOVED_LAYER = "SILINEN"


def _scope(ilceler: list[Ilce]) -> dict[str, QuerySet]:
    mahalleler = Mahalle.objects.filter(ilce__in=ilceler)
    csbmler = Csbm.objects.filter(ilce__in=ilceler)
    yapilar = Yapi.objects.filter(Q(mahalle__in=mahalleler) | Q(adresler__csbm__in=csbmler)).distinct()
    adresler = Adres.objects.filter(Q(csbm__in=csbmler) | Q(mahalle__in=mahalleler)).distinct()
    return {"mahalle": mahalleler.select_related("ilce__il"), "csbm": csbmler, "yapi": yapilar,
            "adres": adresler, "bagimsiz_bolum": BagimsizBolum.objects.filter(adres__in=adresler)}


def _codes(qs: QuerySet, field: str) -> dict[int, str]:
    return {pk: code or "" for pk, code in qs.model.objects.values_list("pk", field)}


def register_rows(ilceler: list[Ilce], changes: Changes | None) -> dict[str, list[dict[str, Any]]]:
    """Register layer -> rows of register fields (plus 'geom', a GEOS geometry, and the change kind)."""
    scope = _scope(ilceler)
    if changes is not None:
        scope = {k: qs.filter(pk__in=list(changes.kinds.get(k, {}))) for k, qs in scope.items()}
    mah = _codes(Mahalle.objects, "uavt_kodu")
    csbm = _codes(Csbm.objects, "uavt_kodu")
    yapi = _codes(Yapi.objects, "maks_id")
    kapi = _codes(Adres.objects, "uavt_kodu")
    street_mah: dict[int, list[str]] = defaultdict(list)
    for cid, mid in Csbm.mahalleler.through.objects.values_list("csbm_id", "mahalle_id").order_by("mahalle_id"):
        street_mah[cid].append(mah.get(mid, ""))
    out = {
        "mahalle": [{"pk": m.pk, "kod": m.uavt_kodu, "ad": m.ad, "ilce_adi": m.ilce.ad, "il_adi": m.ilce.il.ad,
                     "il_kodu": m.ilce.il.plaka, "geom": m.geom} for m in scope["mahalle"].order_by("pk")],
        "csbm": [{"pk": c.pk, "kod": c.uavt_kodu, "ad": c.ad or str(c.numara), "tur": c.tur,
                  "mahalle_kodu": ",".join(x for x in street_mah[c.pk] if x), "geom": c.geom}
                 for c in scope["csbm"].order_by("pk")],
        "yapi": [{"pk": y.pk, "kod": y.maks_id, "ad": y.ad, "ada": y.ada, "parsel": y.parsel,
                  "tanitim_no": y.tanitim_no, "kat_ust": y.kat_ust, "kat_alt": y.kat_alt, "kullanim": y.kullanim,
                  "mahalle_kodu": mah.get(y.mahalle_id, ""), "geom": y.geom} for y in scope["yapi"].order_by("pk")],
        "adres": [{"pk": a.pk, "kod": a.uavt_kodu or "", "kapi_no": a.kapi_no, "taraf": a.taraf,
                   "csbm_kodu": csbm.get(a.csbm_id, ""), "yapi_kodu": yapi.get(a.yapi_id, ""),
                   "mahalle_kodu": mah.get(a.mahalle_id, ""), "geom": a.geom} for a in scope["adres"].order_by("pk")],
        "bagimsiz_bolum": [{"pk": b.pk, "kod": b.adres_kodu or "", "kapi_kodu": kapi.get(b.adres_id, ""),
                            "ic_kapi_no": b.ic_kapi_no, "kat": b.kat, "kullanim": b.kullanim, "geom": None}
                           for b in scope["bagimsiz_bolum"].order_by("pk")],
    }
    if changes is not None:
        for layer, rows in out.items():
            for row in rows:
                row["degisiklik"] = changes.kinds[layer].get(row["pk"], "")
    return out


def frame(layer: str, rows: list[dict[str, Any]], lmap: LayerMap, srid: int) -> pd.DataFrame:
    """One layer's rows in the profile's field names and values, geometries in `srid`."""
    table = {lmap.fields[name]: [lmap.file_value(name, str(r[name])) if name in lmap.values else r[name]
                                 for r in rows] for name in lmap.fields if not rows or name in rows[0]}
    if layer in {"adres", "bagimsiz_bolum"}:
        table[TESCIL_COLUMN] = [TESCILLI if r["kod"] else TESCIL_BEKLIYOR for r in rows]
    if rows and "degisiklik" in rows[0]:
        table[CHANGE_COLUMN] = [r["degisiklik"] for r in rows]
    df = pd.DataFrame(table)
    if layer == "bagimsiz_bolum":
        return df
    shapes = np.asarray([shapely.from_wkb(bytes(r["geom"].wkb)) for r in rows], dtype=object)
    shapes = kcrs.reproject(shapes, kcrs.STORAGE_SRID, srid) if len(shapes) else shapes
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(list(shapes), crs=f"EPSG:{srid}"), crs=f"EPSG:{srid}")


def frames(profile: Profile, ilceler: list[Ilce], srid: int, changes: Changes | None) -> dict[str, pd.DataFrame]:
    """File layer name -> frame, for every layer the profile maps (and the removed rows)."""
    rows = register_rows(ilceler, changes)
    out = {profile.layers[layer].source: frame(layer, rows[layer], profile.layers[layer], srid)
           for layer in rows if layer in profile.layers}
    if changes is not None:
        out[REMOVED_LAYER] = pd.DataFrame({"KATMAN": [k for k, _c in changes.removed],
                                           "KOD": [c for _k, c in changes.removed]})
    return out

