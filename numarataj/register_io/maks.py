"""The MAKS rules (numarataj/services/rules.py) over the rows of an import, before anything is
written: records become the rules' plain records in the local metric grid, linked by code.

The violations are reported, not refused: a municipality's register comes in as it stands (a
door 70 m from its street is a fact of the official register to be fixed there, not a reason to
lose the door), and the report names each one with its file row so it can be fixed."""

from typing import Any

import numpy as np
from django.conf import settings

from geo.services import crs as kcrs
from numarataj.services.rules import RULES, AdresRec, CsbmRec, RegisterData, YapiRec, check

from .rows import Record

MODEL_LAYER = {"numarataj.Csbm": "csbm", "numarataj.Yapi": "yapi", "numarataj.Adres": "adres"}


def _local(records: list[Record]) -> list:
    if not records:
        return []
    geoms = np.asarray([r.geom for r in records], dtype=object)
    return list(kcrs.reproject(geoms, kcrs.STORAGE_SRID, settings.LOCAL_SRID))


def violations(accepted: dict[str, dict[str, Record]]) -> list[dict[str, Any]]:
    mah = list(accepted.get("mahalle", {}).values())
    csbm = list(accepted.get("csbm", {}).values())
    yapi = list(accepted.get("yapi", {}).values())
    adres = list(accepted.get("adres", {}).values())
    ids = {layer: {code: k for k, code in enumerate(accepted.get(layer, {}))}
           for layer in ("mahalle", "csbm", "yapi")}
    data = RegisterData(
        mahalle=dict(enumerate(_local(mah))),
        ilce_mahalleler={0: list(range(len(mah)))},
        csbm=[CsbmRec(k, 0, r.values["tur"], r.values.get("ad", ""), r.values.get("numara"), g,
                      [ids["mahalle"][c] for c in r.values.get("mahalle_kodu", []) if c in ids["mahalle"]])
              for k, (r, g) in enumerate(zip(csbm, _local(csbm), strict=True))],
        yapi=[YapiRec(k, ids["mahalle"].get(r.values.get("mahalle_kodu", "")), r.values.get("tanitim_no", ""), g)
              for k, (r, g) in enumerate(zip(yapi, _local(yapi), strict=True))],
        adres=[AdresRec(k, ids["csbm"].get(r.values.get("csbm_kodu", "")),
                        ids["yapi"].get(r.values.get("yapi_kodu", "")), r.values["kapi_no"], g)
               for k, (r, g) in enumerate(zip(adres, _local(adres), strict=True))],
    )
    by_layer = {"csbm": csbm, "yapi": yapi, "adres": adres}
    out = []
    for v in check(data):
        rec = by_layer[MODEL_LAYER[v.model]][v.object_id]
        out.append({"rule": v.rule, "title": str(RULES[v.rule][0]), "layer": rec.layer, "row": rec.row,
                    "code": rec.code, "message": v.message})
    return out
