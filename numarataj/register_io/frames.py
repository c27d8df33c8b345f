"""The register as tables in a profile's names: one frame per register layer (and the removed
rows in a changes export), in the order an import reads them. Doors and units without an
official code say so in TESCIL_DURUMU ("Tescil bekliyor (awaiting registration)")."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db.models import QuerySet

from geo.services import crs as kcrs
from numarataj.models import Adres, BagimsizBolum, Csbm, Ilce, Mahalle, Yapi
from numarataj.models.adres import TESCIL_BEKLIYOR

from .changes import Changes
from .diff import CODE_FIELD, codes_of
from .profiles import LayerMap, Profile

TESCIL_COLUMN, CHANGE_COLUMN = "TESCIL_DURUMU", "DEGISIKLIK"
TESCILLI = "Tescilli (registered)"
REMOVED_LAYER = "SILINEN"
CHUNK = 1000  # ids per query (see _in_chunks)


def _in_chunks(qs: QuerySet, field: str, ids: Iterable[int]) -> Iterator:
    """The rows of qs whose `field` is one of `ids`, read CHUNK ids a query: a short id list is an
    index scan, where a join, a sub-select or a list of thousands made PostgreSQL read the whole
    table (at a million buildings, 100–200 ms a layer for an ilçe of 7,000 buildings)."""
    ids = sorted(set(ids) - {None})
    for i in range(0, len(ids), CHUNK):
        yield from qs.filter(**{f"{field}__in": ids[i:i + CHUNK]})


def _rows(ilceler: list[Ilce], changes: Changes | None) -> dict[str, list]:
    """Each layer's rows of the exported ilçeler in pk order: their mahalleler and CSBM, the doors
    on those streets or in those mahalleler, the buildings in those mahalleler or behind the
    streets' doors, the doors' units; in a changes export only the changed ones of those. Ids
    first, then the rows (every row of the city was read for its code: 8 s at a million)."""
    def keep(layer: str, ids: set[int]) -> set[int]:
        return ids if changes is None else ids & changes.kinds.get(layer, {}).keys()

    def pks(model: type, field: str, ids: list[int], value: str = "pk") -> set[int]:
        return set(_in_chunks(model.objects.values_list(value, flat=True), field, ids))

    mahalleler = list(Mahalle.objects.filter(ilce__in=ilceler).select_related("ilce__il").order_by("pk"))
    csbmler = list(Csbm.objects.filter(ilce__in=ilceler).order_by("pk"))
    mahalle_ids, csbm_ids = [m.pk for m in mahalleler], [c.pk for c in csbmler]
    adres_ids = pks(Adres, "csbm_id", csbm_ids) | pks(Adres, "mahalle_id", mahalle_ids)
    yapi_ids = pks(Yapi, "mahalle_id", mahalle_ids) | pks(Adres, "csbm_id", csbm_ids, "yapi_id")
    if changes is None:
        units = _in_chunks(BagimsizBolum.objects, "adres_id", adres_ids)
    else:
        changed = set(changes.kinds.get("bagimsiz_bolum", {}))
        units = (b for b in _in_chunks(BagimsizBolum.objects, "pk", changed) if b.adres_id in adres_ids)
    return {"mahalle": [m for m in mahalleler if m.pk in keep("mahalle", set(mahalle_ids))],
            "csbm": [c for c in csbmler if c.pk in keep("csbm", set(csbm_ids))],
            **{layer: sorted(_in_chunks(model.objects, "pk", keep(layer, ids)), key=lambda obj: obj.pk)
               for layer, model, ids in (("adres", Adres, adres_ids), ("yapi", Yapi, yapi_ids))},
            "bagimsiz_bolum": sorted(units, key=lambda b: b.pk)}


def _link_codes(rows: dict[str, list], layer: str, linked: set[int]) -> dict[int, str]:
    """pk -> code of the linked rows of a layer: from the exported rows, the others read by pk."""
    codes = {obj.pk: getattr(obj, CODE_FIELD[layer]) for obj in rows[layer]}
    return codes | codes_of(layer, linked - codes.keys())


def register_rows(ilceler: list[Ilce], changes: Changes | None) -> dict[str, list[dict[str, Any]]]:
    """Register layer -> rows of register fields (plus 'geom', a GEOS geometry, and the change kind)."""
    rows = _rows(ilceler, changes)
    links = list(_in_chunks(Csbm.mahalleler.through.objects, "csbm_id", [c.pk for c in rows["csbm"]]))
    mah = _link_codes(rows, "mahalle", {x.mahalle_id for k in ("yapi", "adres") for x in rows[k]}
                      | {x.mahalle_id for x in links})
    csbm = _link_codes(rows, "csbm", {a.csbm_id for a in rows["adres"]})
    yapi = _link_codes(rows, "yapi", {a.yapi_id for a in rows["adres"]})
    kapi = _link_codes(rows, "adres", {b.adres_id for b in rows["bagimsiz_bolum"]})
    street_mah: dict[int, list[str]] = defaultdict(list)
    for link in sorted(links, key=lambda x: x.mahalle_id):
        street_mah[link.csbm_id].append(mah.get(link.mahalle_id) or "")
    out = {
        "mahalle": [{"pk": m.pk, "kod": m.uavt_kodu, "ad": m.ad, "ilce_adi": m.ilce.ad, "il_adi": m.ilce.il.ad,
                     "il_kodu": m.ilce.il.plaka, "geom": m.geom} for m in rows["mahalle"]],
        "csbm": [{"pk": c.pk, "kod": c.uavt_kodu, "ad": c.ad or str(c.numara), "tur": c.tur,
                  "mahalle_kodu": ",".join(x for x in street_mah[c.pk] if x), "geom": c.geom}
                 for c in rows["csbm"]],
        "yapi": [{"pk": y.pk, "kod": y.maks_id, "ad": y.ad, "ada": y.ada, "parsel": y.parsel,
                  "tanitim_no": y.tanitim_no, "kat_ust": y.kat_ust, "kat_alt": y.kat_alt, "kullanim": y.kullanim,
                  "mahalle_kodu": mah.get(y.mahalle_id) or "", "geom": y.geom} for y in rows["yapi"]],
        "adres": [{"pk": a.pk, "kod": a.uavt_kodu or "", "kapi_no": a.kapi_no, "taraf": a.taraf,
                   "csbm_kodu": csbm.get(a.csbm_id) or "", "yapi_kodu": yapi.get(a.yapi_id) or "",
                   "mahalle_kodu": mah.get(a.mahalle_id) or "", "geom": a.geom} for a in rows["adres"]],
        "bagimsiz_bolum": [{"pk": b.pk, "kod": b.adres_kodu or "", "kapi_kodu": kapi.get(b.adres_id) or "",
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

