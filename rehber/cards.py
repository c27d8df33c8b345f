"""The card of anything the guide shows: a door, a building, a street, a mahalle or a place.

Cards are language-neutral JSON: labels are keys ("fact.floors") and coded values carry their
code ("use" → "konut"), which the page translates from its tr/en dictionary; names and numbers
come as they are in the register. Refs name the source row: a- (Adres), y- (Yapı), s- (CSBM),
m- (Mahalle), f- (feature-store place), v- (smart-city asset). A place is only shown when it is in
the guide's index, i.e. in a layer the guide may show (rehber.access) that feeds a category; the
MAKS register is public."""

import json
from collections.abc import Callable
from typing import Any

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db.models import Count

from geo.errors import InvalidInput, NotFound
from geo.models import Feature
from numarataj.models import Adres, Csbm, Mahalle, Yapi
from numarataj.models.naming import ACTIVE_STATES
from smartcity.kinds import declaration
from smartcity.models import Asset

from .access import shown
from .categories import by_slug
from .index import PLACE, GuideIndex, get_index

NEARBY_RADIUS_M = 300
NEARBY_LIMIT = 10
MAX_UNITS = 300
DOOR_SNAP_DEGREES = 0.0002  # ~20 m: a place drawn at a door point belongs to that door
SIMPLIFY_DEGREES = 0.00001
PLACE_FIELDS = {  # feature property → (fact key, value code table or None)
    "tur": ("fact.kind", "tur"), "adres": ("fact.address", None), "kademe": ("fact.level", "tur"),
    "ogrenci_sayisi": ("fact.students", None), "durak_no": ("fact.stop_no", None), "hatlar": ("fact.lines", None),
    "engelli_erisimi": ("fact.accessible", "bool"), "alan_m2": ("fact.area_m2", None),
}


def fact(key: str, value: Any, code: str | None = None) -> dict[str, Any] | None:
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list):
        if code:
            return {"k": key, "v": [str(v) for v in value], "code": code}
        value = ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        value, code = ("yes" if value else "no"), "bool"
    item = {"k": key, "v": value}
    if code:
        item["code"] = code
    return item


def _geometry(geom: GEOSGeometry | None, simplify: bool = False) -> dict | None:
    if geom is None:
        return None
    if simplify:
        geom = geom.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    return json.loads(geom.json)


def _base(ref: str, kind: str, title: str, point: Point, **more: Any) -> dict[str, Any]:
    card: dict[str, Any] = {"ref": ref, "kind": kind, "title": title, "subtitle": "", "category": "",
                            "lat": round(point.y, 6), "lon": round(point.x, 6), "bbox": None, "geometry": None,
                            "facts": [], "units": [], "doors": [], "history": [], "nearby": [], "live": None,
                            "links": []}
    card.update(more)
    card["facts"] = [f for f in card["facts"] if f]
    return card


def _nearby(index: GuideIndex, point: Point, exclude: str = "") -> list[dict[str, Any]]:
    return [{"ref": e.ref, "label": e.label, "category": e.category, "distance": round(d)}
            for d, e in index.nearby(point.y, point.x, NEARBY_RADIUS_M, NEARBY_LIMIT, exclude)]


def _units(adres: Adres) -> list[dict[str, Any]]:
    rows = adres.bagimsiz_bolumler.order_by("kat", "ic_kapi_no").values("adres_kodu", "ic_kapi_no", "kat",
                                                                         "kullanim")[:MAX_UNITS]
    return [{"code": r["adres_kodu"], "ic_kapi_no": r["ic_kapi_no"], "kat": r["kat"], "kullanim": r["kullanim"]}
            for r in rows]


def _history(csbm_id: int) -> list[dict[str, Any]]:
    """The street's earlier names and any naming decision still under way."""
    csbm = Csbm.objects.get(pk=csbm_id)
    rows = [{"name": r.yeni_tam_ad, "before": r.eski_tam_ad, "since": r.gecerlilik_baslangic.isoformat(),
             "until": r.gecerlilik_bitis.isoformat() if r.gecerlilik_bitis else None, "pending": False}
            for r in csbm.ad_gecmisi.all()]
    for k in csbm.adlandirma_kararlari.filter(durum__in=ACTIVE_STATES):
        rows.insert(0, {"name": k.yeni_tam_ad, "before": k.eski_tam_ad or csbm.tam_ad, "since": None,
                        "until": None, "pending": True, "state": k.durum})
    return rows


def _published(row: Any) -> dict[str, Any]:
    """A register row's attributes the publication policy lets the guide show (asked once a card)."""
    return {name: getattr(row, name) for name in shown(row._meta.label) if hasattr(row, name)}


def _building_facts(y: Yapi) -> list[dict[str, Any] | None]:
    p = _published(y)
    return [fact("fact.building", p.get("ad")), fact("fact.use", p.get("kullanim"), "use"),
            fact("fact.floors_above", p.get("kat_ust")), fact("fact.floors_below", p.get("kat_alt") or None),
            fact("fact.building_no", p.get("tanitim_no"))]


def _door(adres: Adres) -> dict[str, Any]:
    street = adres.csbm.tam_ad if adres.csbm_id else ""
    return {"ref": f"a-{adres.pk}", "label": f"{street} No: {adres.kapi_no}".strip(),
            "codes": [u["code"] for u in _units(adres)]}


def _street_links(csbm_id: int | None) -> list[dict[str, str]]:
    return [{"k": "link.street_history", "url": f"/numarataj/csbm/{csbm_id}/"}] if csbm_id else []


def address_card(pk: int, index: GuideIndex) -> dict[str, Any]:
    a = Adres.objects.select_related("csbm", "mahalle__ilce__il", "yapi").get(pk=pk)
    street = a.csbm.tam_ad if a.csbm_id else ""
    place = f"{a.mahalle.ilce.ad}/{a.mahalle.ilce.il.ad}" if a.mahalle_id else ""
    y = a.yapi
    facts = [fact("fact.mahalle", a.mahalle.ad if a.mahalle_id else None), fact("fact.street", street),
             fact("fact.door", a.kapi_no), *(_building_facts(y) if y else [])]
    return _base(f"a-{pk}", "adres", f"{street} No: {a.kapi_no}".strip(), a.geom, facts=facts,
                 subtitle=", ".join(p for p in (f"{a.mahalle.ad} Mah." if a.mahalle_id else "", place) if p),
                 geometry=_geometry(y.geom) if y else None, units=_units(a),
                 history=_history(a.csbm_id) if a.csbm_id else [], nearby=_nearby(index, a.geom),
                 links=_street_links(a.csbm_id))


def building_card(pk: int, index: GuideIndex) -> dict[str, Any]:
    y = Yapi.objects.select_related("mahalle").get(pk=pk)
    point = y.geom.point_on_surface
    doors = [_door(a) for a in y.adresler.select_related("csbm").order_by("csbm_id", "kapi_no")]
    return _base(f"y-{pk}", "yapi", _published(y).get("ad") or (doors[0]["label"] if doors else f"#{pk}"), point,
                 subtitle=f"{y.mahalle.ad} Mah." if y.mahalle_id else "", facts=_building_facts(y),
                 geometry=_geometry(y.geom), doors=doors, nearby=_nearby(index, point))


def street_card(pk: int, index: GuideIndex) -> dict[str, Any]:
    s = Csbm.objects.prefetch_related("mahalleler").get(pk=pk)
    entry = index.by_ref.get(f"s-{pk}")
    point = Point(entry.lon, entry.lat) if entry else s.geom.point_on_surface
    numbers = sorted(int(n) for n in s.adresler.values_list("kapi_no", flat=True) if n.isdigit())
    mahalleler = sorted(m.ad for m in s.mahalleler.all())
    return _base(f"s-{pk}", "sokak", s.tam_ad, point, category=entry.category if entry else "",
                 subtitle=", ".join(mahalleler), bbox=list(s.geom.extent), geometry=_geometry(s.geom),
                 facts=[fact("fact.street_kind", s.tur, "csbm"), fact("fact.mahalleler", ", ".join(mahalleler)),
                        fact("fact.doors", s.adresler.count()),
                        fact("fact.numbers", f"{numbers[0]}–{numbers[-1]}" if numbers else None)],
                 history=_history(pk), links=_street_links(pk))


def mahalle_card(pk: int, index: GuideIndex) -> dict[str, Any]:
    m = Mahalle.objects.select_related("ilce__il").annotate(
        streets=Count("csbmler", distinct=True)).get(pk=pk)
    prepared = m.geom.prepared
    counts: dict[str, int] = {}
    for slug, entries in index.categories.items():
        inside = sum(1 for e in entries if e.kind == PLACE and prepared.contains(Point(e.lon, e.lat)))
        if inside:
            counts[slug] = inside
    facts = [fact("fact.ilce", f"{m.ilce.ad}/{m.ilce.il.ad}"), fact("fact.uavt", m.uavt_kodu),
             fact("fact.streets", m.streets), fact("fact.buildings", m.yapilar.count()),
             fact("fact.doors", m.adresler.count())]
    facts += [{"k": "category", "v": n, "category": slug} for slug, n in counts.items()]
    return _base(f"m-{pk}", "mahalle", f"{m.ad} Mahallesi", m.geom.point_on_surface, facts=facts,
                 subtitle=f"{m.ilce.ad}/{m.ilce.il.ad}", bbox=list(m.geom.extent),
                 geometry=_geometry(m.geom, simplify=True))


def _place_doors(point: Point) -> list[dict[str, Any]]:
    """The doors of the building a place stands in, or the door it was drawn at."""
    y = Yapi.objects.filter(geom__intersects=point).first()
    if y is not None:
        return [_door(a) for a in y.adresler.select_related("csbm")]
    near = (Adres.objects.filter(geom__dwithin=(point, DOOR_SNAP_DEGREES)).select_related("csbm")
            .annotate(d=Distance("geom", point)).order_by("d").first())
    return [_door(near)] if near else []


def _visible(ref: str, index: GuideIndex) -> Any:
    entry = index.by_ref.get(ref)
    if entry is None:
        raise NotFound(f"'{ref}' rehberde yok. (Not in the guide.)")
    return entry


def feature_card(pk: int, index: GuideIndex) -> dict[str, Any]:
    entry = _visible(f"f-{pk}", index)
    f = Feature.objects.get(pk=pk)
    point = Point(entry.lon, entry.lat)
    props = f.properties or {}
    facts = [fact(key, props.get(name), code) for name, (key, code) in PLACE_FIELDS.items()]
    polygon = f.geom.geom_type.endswith("Polygon")
    return _base(entry.ref, "yer", entry.label, point, category=entry.category, facts=facts,
                 geometry=_geometry(f.geom, simplify=True) if polygon else None,
                 bbox=list(f.geom.extent) if polygon else None,
                 doors=_place_doors(point), nearby=_nearby(index, point, exclude=entry.ref))


def asset_card(pk: int, index: GuideIndex) -> dict[str, Any]:
    entry = _visible(f"v-{pk}", index)
    a = Asset.objects.get(pk=pk)
    attrs = a.attributes or {}
    guide = declaration(a.kind_id).guide  # the facts the kind's declaration lists for the guide
    facts = [fact(f.key, attrs.get(f.attribute), f.code) for f in (guide.facts if guide else ())]
    live_kind = by_slug()[entry.category].live_kind
    live = {"type": live_kind, "asset_id": a.asset_id} if live_kind == a.kind_id else None
    return _base(entry.ref, "yer", entry.label, a.geom, category=entry.category, facts=facts, live=live,
                 nearby=_nearby(index, a.geom, exclude=entry.ref))


BUILDERS: dict[str, Callable[[int, GuideIndex], dict[str, Any]]] = {
    "a": address_card, "y": building_card, "s": street_card, "m": mahalle_card, "f": feature_card, "v": asset_card,
}


def card(ref: str) -> dict[str, Any]:
    """The card for a ref such as 'a-328'; InvalidInput for a malformed ref, NotFound for a missing row."""
    prefix, _, number = ref.partition("-")
    if prefix not in BUILDERS or not number.isdigit() or len(number) > 18:
        raise InvalidInput(f"Geçersiz kayıt: '{ref[:40]}'. (Invalid reference.)")
    try:
        return BUILDERS[prefix](int(number), get_index())
    except (Adres.DoesNotExist, Yapi.DoesNotExist, Csbm.DoesNotExist, Mahalle.DoesNotExist,
            Feature.DoesNotExist, Asset.DoesNotExist):
        raise NotFound(f"'{ref}' bulunamadı. (Not found.)") from None


def what_is_at(point: Point) -> str | None:
    """The ref of what stands at a point: a building's only door, the building, or a door nearby."""
    y = Yapi.objects.filter(geom__intersects=point).annotate(doors=Count("adresler")).first()
    if y is not None:
        door = y.adresler.values_list("pk", flat=True).first() if y.doors == 1 else None
        return f"a-{door}" if door else f"y-{y.pk}"
    near = (Adres.objects.filter(geom__dwithin=(point, DOOR_SNAP_DEGREES))
            .annotate(d=Distance("geom", point)).order_by("d").values_list("pk", flat=True).first())
    return f"a-{near}" if near else None
