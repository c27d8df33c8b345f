"""A record against the register: the model values it asks for, the existing row with its code,
and which fields would change. Links are compared by code (the code of the row the existing
row points at), so a re-import of unchanged files finds nothing to change."""

from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db import models

from numarataj.models import Adres, BagimsizBolum, Csbm, Ilce, Mahalle, Yapi

from .profiles import LayerMap, fold
from .rows import Record

GEOM_TOLERANCE = 1e-8  # degrees, about a millimetre: a coordinate that went through a file and back
MODELS: dict[str, type[models.Model]] = {"mahalle": Mahalle, "csbm": Csbm, "yapi": Yapi, "adres": Adres,
                                        "bagimsiz_bolum": BagimsizBolum}
CODE_FIELD = {"mahalle": "uavt_kodu", "csbm": "uavt_kodu", "yapi": "maks_id", "adres": "uavt_kodu",
              "bagimsiz_bolum": "adres_kodu"}
# register layer -> model field (FK) -> (link field in the record, target layer)
LINKS: dict[str, dict[str, tuple[str, str]]] = {
    "csbm": {"mahalleler": ("mahalle_kodu", "mahalle")},
    "yapi": {"mahalle": ("mahalle_kodu", "mahalle")},
    "adres": {"csbm": ("csbm_kodu", "csbm"), "yapi": ("yapi_kodu", "yapi"), "mahalle": ("mahalle_kodu", "mahalle")},
    "bagimsiz_bolum": {"adres": ("kapi_kodu", "adres")},
}
PLAIN = {"mahalle": ("ad",), "csbm": ("tur", "ad", "numara"),
         "yapi": ("ad", "ada", "parsel", "tanitim_no", "kat_ust", "kat_alt", "kullanim"),
         "adres": ("kapi_no", "taraf"), "bagimsiz_bolum": ("ic_kapi_no", "kat", "kullanim")}
ALWAYS = {"csbm": ("numara",)}  # derived from a mapped field (the name)


@dataclass
class Item:
    record: Record
    obj: models.Model | None  # the existing row, None: to be created
    attrs: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)  # model field -> code (a list for mahalleler)
    changed: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "create" if self.obj is None else ("update" if self.changed else "unchanged")


def target(layer: str, rec: Record, lmap: LayerMap) -> tuple[dict[str, Any], dict[str, Any]]:
    """The model values (attnames) and the links (model field -> code) a record asks for; fields the
    profile does not map are left out, so an import never blanks what the file does not carry."""
    attrs: dict[str, Any] = {CODE_FIELD[layer]: rec.code}
    for name in PLAIN[layer]:
        if name in rec.values or name in ALWAYS.get(layer, ()):
            value = rec.values.get(name)
            if value == "" and name in {"kat_ust", "kat_alt", "kat"}:
                continue
            attrs[name] = value
    if rec.geom is not None:
        attrs["geom"] = rec.geom
    links = {}
    for fk, (name, _target) in LINKS.get(layer, {}).items():
        if name in lmap.fields:
            value = rec.values.get(name)
            if fk == "mahalle" and not value:
                continue  # derived from the building or the location
            links[fk] = value or None
    return attrs, links


def existing(layer: str, codes: list[str], ilce: Ilce | None) -> dict[str, models.Model]:
    model, code_field = MODELS[layer], CODE_FIELD[layer]
    qs = model.objects.filter(**{f"{code_field}__in": codes})
    if layer in {"mahalle", "csbm"}:
        qs = qs.filter(ilce=ilce) if ilce is not None else qs.none()
    if layer == "csbm":
        qs = qs.prefetch_related("mahalleler")
    return {getattr(o, code_field): o for o in qs}


def uncoded_mahalleler(ilce: Ilce | None) -> dict[str, Mahalle]:
    """The ilçe's mahalleler without a code, by folded name (an OSM-built register gets its codes)."""
    if ilce is None:
        return {}
    return {fold(m.ad): m for m in Mahalle.objects.filter(ilce=ilce, uavt_kodu="")}


def codes_of(layer: str, pks: set[int]) -> dict[int, str]:
    """pk -> code of register rows (what an existing row's link points at)."""
    pks.discard(None)
    if not pks:
        return {}
    return dict(MODELS[layer].objects.filter(pk__in=pks).values_list("pk", CODE_FIELD[layer]))


def compare(item: Item, layer: str, link_codes: dict[str, dict[int, str]]) -> None:
    """Fill item.changed: the attributes and links that differ from the existing row."""
    obj = item.obj
    for name, value in item.attrs.items():
        current = getattr(obj, name)
        if name == "geom":
            old = shapely.from_wkb(bytes(current.wkb)) if current is not None else None
            if old is None or old.geom_type != value.geom_type or not shapely.equals_exact(old, value, GEOM_TOLERANCE):
                item.changed.append(name)
        elif (current if current is not None else "") != (value if value is not None else ""):
            item.changed.append(name)
    for fk, code in item.links.items():
        target_layer = LINKS[layer][fk][1]
        if fk == "mahalleler":
            now = sorted(link_codes[target_layer].get(m.pk, "") for m in obj.mahalleler.all())
            if now != sorted(code or []):
                item.changed.append(fk)
        elif link_codes[target_layer].get(getattr(obj, f"{fk}_id")) != code:
            item.changed.append(fk)
