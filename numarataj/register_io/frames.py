"""The register as tables in a profile's names: one frame per register layer (and the removed
rows in a changes export), in the order an import reads them. Doors and units without an
official code say so in TESCIL_DURUMU ("Tescil bekliyor (awaiting registration)")."""

from collections import defaultdict
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db.models import F, Q, QuerySet

from geo.services import crs as kcrs
from numarataj.models import Adres, BagimsizBolum, Csbm, Ilce, Mahalle, Yapi
from numarataj.models.adres import TESCIL_BEKLIYOR

from .changes import Changes
from .profiles import LayerMap, Profile

TESCIL_COLUMN, CHANGE_COLUMN = "TESCIL_DURUMU", "DEGISIKLIK"
TESCILLI = "Tescilli (registered)"
REMOVED_LAYER = "SILINEN"


def _scope(ilceler: list[Ilce]) -> dict[str, QuerySet]:
    """The exported ilçeler's rows, each with the codes of the rows it links to (joined by key, so
    only the exported rows' links are read: loading every code of the city took 8 s at a million
    buildings for an ilçe of 7,000). Mahalle and CSBM ids are listed, not joined, so each OR is a
    BitmapOr of two index scans (joined, PostgreSQL read every door and building of the city)."""
    mahalle_ids = list(Mahalle.objects.filter(ilce__in=ilceler).values_list("pk", flat=True))
    csbm_ids = list(Csbm.objects.filter(ilce__in=ilceler).values_list("pk", flat=True))
    on_streets = Adres.objects.filter(csbm_id__in=csbm_ids, yapi__isnull=False).values_list("yapi_id", flat=True)
    adresler = Adres.objects.filter(Q(csbm_id__in=csbm_ids) | Q(mahalle_id__in=mahalle_ids))
    return {"mahalle": Mahalle.objects.filter(pk__in=mahalle_ids).select_related("ilce__il"),
            "csbm": Csbm.objects.filter(pk__in=csbm_ids),
            "yapi": Yapi.objects.filter(Q(mahalle_id__in=mahalle_ids) | Q(pk__in=set(on_streets)))
            .annotate(mahalle_kodu=F("mahalle__uavt_kodu")),
            "adres": adresler.annotate(csbm_kodu=F("csbm__uavt_kodu"), yapi_kodu=F("yapi__maks_id"),
                                       mahalle_kodu=F("mahalle__uavt_kodu")),
            "bagimsiz_bolum": BagimsizBolum.objects.filter(adres__in=adresler.values("pk"))
            .annotate(kapi_kodu=F("adres__uavt_kodu"))}


def register_rows(ilceler: list[Ilce], changes: Changes | None) -> dict[str, list[dict[str, Any]]]:
    """Register layer -> rows of register fields (plus 'geom', a GEOS geometry, and the change kind)."""
    scope = _scope(ilceler)
    if changes is not None:
        scope = {k: qs.filter(pk__in=list(changes.kinds.get(k, {}))) for k, qs in scope.items()}
    rows = {layer: list(qs.order_by("pk")) for layer, qs in scope.items()}
    links = Csbm.mahalleler.through.objects.filter(csbm_id__in=[c.pk for c in rows["csbm"]])
    street_mah: dict[int, list[str]] = defaultdict(list)
    for cid, code in links.order_by("mahalle_id").values_list("csbm_id", "mahalle__uavt_kodu"):
        street_mah[cid].append(code or "")
    out = {
        "mahalle": [{"pk": m.pk, "kod": m.uavt_kodu, "ad": m.ad, "ilce_adi": m.ilce.ad, "il_adi": m.ilce.il.ad,
                     "il_kodu": m.ilce.il.plaka, "geom": m.geom} for m in rows["mahalle"]],
        "csbm": [{"pk": c.pk, "kod": c.uavt_kodu, "ad": c.ad or str(c.numara), "tur": c.tur,
                  "mahalle_kodu": ",".join(x for x in street_mah[c.pk] if x), "geom": c.geom}
                 for c in rows["csbm"]],
        "yapi": [{"pk": y.pk, "kod": y.maks_id, "ad": y.ad, "ada": y.ada, "parsel": y.parsel,
                  "tanitim_no": y.tanitim_no, "kat_ust": y.kat_ust, "kat_alt": y.kat_alt, "kullanim": y.kullanim,
                  "mahalle_kodu": y.mahalle_kodu or "", "geom": y.geom} for y in rows["yapi"]],
        "adres": [{"pk": a.pk, "kod": a.uavt_kodu or "", "kapi_no": a.kapi_no, "taraf": a.taraf,
                   "csbm_kodu": a.csbm_kodu or "", "yapi_kodu": a.yapi_kodu or "",
                   "mahalle_kodu": a.mahalle_kodu or "", "geom": a.geom} for a in rows["adres"]],
        "bagimsiz_bolum": [{"pk": b.pk, "kod": b.adres_kodu or "", "kapi_kodu": b.kapi_kodu or "",
                            "ic_kapi_no": b.ic_kapi_no, "kat": b.kat, "kullanim": b.kullanim, "geom": None}
                           for b in rows["bagimsiz_bolum"]],
    }
    if changes is not None:
        for layer, layer_rows in out.items():
            for row in layer_rows:
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

