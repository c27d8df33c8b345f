"""An OpenStreetMap export as a register.District.

Named highways become CSBM, one per distinct name (ways sharing a name merge into one
MultiLineString); the kind comes from the name's suffix and a name without one is a sokak.
Buildings (closed ways and multipolygon relations with building=*) become yapılar; objects with
addr:street or addr:housenumber become addresses kept as written; mahalle and ilçe areas come
from osm_areas; places and assets from osm_places."""

import re
from collections.abc import Iterable

import shapely
from shapely.geometry import MultiPolygon, box
from shapely.geometry.base import BaseGeometry

from numarataj.models import Yapi
from numarataj.services.streetnames import StreetIndex, parse_street_name

from .geometry import anchor_point, as_multilinestring, to_metric
from .osm import Element, OsmData
from .osm_areas import PLACE_NODES, Area, Hint, ilce_areas, mahalle_areas, most_named, short_mahalle_name
from .osm_places import place_assets, place_features
from .register import AdresSpec, CsbmSpec, District, IlceSpec, MahalleSpec, YapiSpec

K = Yapi.Kullanim
DEFAULT_IL, DEFAULT_PLAKA, DEFAULT_ILCE = "Ankara", 6, "Çankaya"
BUILDING_USES = {
    "apartments": K.KONUT, "residential": K.KONUT, "house": K.KONUT, "detached": K.KONUT,
    "semidetached_house": K.KONUT, "terrace": K.KONUT, "dormitory": K.KONUT,
    "commercial": K.ISYERI, "retail": K.ISYERI, "office": K.ISYERI, "industrial": K.ISYERI,
    "warehouse": K.ISYERI, "hotel": K.ISYERI, "kiosk": K.ISYERI, "school": K.EGITIM, "university": K.EGITIM,
    "college": K.EGITIM, "kindergarten": K.EGITIM, "hospital": K.SAGLIK, "mosque": K.IBADET,
    "church": K.IBADET, "religious": K.IBADET, "public": K.KAMU, "government": K.KAMU, "goverment": K.KAMU,
    "civic": K.KAMU, "roof": K.DIGER, "transportation": K.DIGER, "garage": K.DIGER, "garages": K.DIGER,
    "construction": K.DIGER, "service": K.DIGER,
}
AMENITY_USES = {"school": K.EGITIM, "university": K.EGITIM, "college": K.EGITIM, "kindergarten": K.EGITIM,
                "hospital": K.SAGLIK, "clinic": K.SAGLIK, "doctors": K.SAGLIK, "dentist": K.SAGLIK,
                "place_of_worship": K.IBADET, "library": K.KAMU, "police": K.KAMU, "post_office": K.KAMU,
                "townhall": K.KAMU}


def _levels(text: str | None, default: int) -> int:
    m = re.match(r"\s*(\d+)", text or "")
    return min(int(m.group(1)), 200) if m else default


def _use(tags: dict[str, str]) -> str:
    """Kullanım from building=*, then amenity=*; a plain building=yes counts as housing."""
    return str(BUILDING_USES.get(tags.get("building", ""), AMENITY_USES.get(tags.get("amenity", ""), K.KONUT)))


def written_address(tags: dict[str, str]) -> str:
    """addr:* tags joined the way an address is read, each value exactly as the mapper wrote it."""
    line = " ".join(p for p in (tags.get("addr:street", ""), f"No:{tags['addr:housenumber']}"
                                if tags.get("addr:housenumber") else "") if p)
    district, city = tags.get("addr:district", ""), tags.get("addr:city", "")
    town = city if district and district in city else "/".join(p for p in (district, city) if p)
    tail = " ".join(p for p in (tags.get("addr:postcode", ""), town) if p)
    return ", ".join(p for p in (tags.get("addr:neighbourhood", ""), line, tail) if p)


def _buildings(data: OsmData) -> list[tuple[Element, MultiPolygon]]:
    found = [(w, data.area(w)) for w in data.ways.values() if w.tags.get("building", "no") != "no"]
    found += [(r, data.multipolygon(r)) for r in data.relations
              if r.tags.get("building", "no") != "no" and r.tags.get("type") == "multipolygon"]
    return [(el, g) for el, g in found if g is not None]


def _hints(data: OsmData, geoms: dict[str, BaseGeometry], key: str, shorten: bool) -> list[Hint]:
    out = []
    for el in data.elements():
        if not el.tags.get(key):
            continue
        g = geoms[el.ref] if el.ref in geoms else data.geometry(el)
        if g is not None and not g.is_empty:
            out.append((anchor_point(g), short_mahalle_name(el.tags[key]) if shorten else el.tags[key]))
    return out


def _il(data: OsmData) -> tuple[str, int]:
    for r in data.relations:
        iso = r.tags.get("ISO3166-2", "")
        if r.tags.get("admin_level") == "4" and re.fullmatch(r"TR-\d\d", iso):
            return r.tags.get("name:tr") or r.tags.get("name") or DEFAULT_IL, int(iso[3:])
    return DEFAULT_IL, DEFAULT_PLAKA


def _ilceler(data: OsmData, frame: BaseGeometry, geoms: dict[str, BaseGeometry],
             mahalleler: list[Area]) -> tuple[list[IlceSpec], list[str]]:
    """The ilçeler and, for each mahalle, the key of the ilçe holding most of it."""
    hints = _hints(data, geoms, "addr:district", shorten=False)
    areas = ilce_areas(data, frame, hints)
    if not areas:
        return [IlceSpec(key="ilce1", ad=most_named(hints) or DEFAULT_ILCE)], ["ilce1"] * len(mahalleler)
    owner = [max(range(len(areas)), key=lambda i: areas[i].geom.intersection(m.geom).area) for m in mahalleler]
    specs = [IlceSpec(key=f"ilce{i + 1}", ad=a.name, geom=a.geom if a.exact else None)
             for i, a in enumerate(areas) if i in owner]
    return specs, [f"ilce{i + 1}" for i in owner]


def _streets(data: OsmData) -> list[CsbmSpec]:
    by_name: dict[str, list[Element]] = {}
    for way in data.ways.values():
        if way.tags.get("highway") and (name := " ".join(way.tags.get("name", "").split())):
            by_name.setdefault(name, []).append(way)
    specs = []
    for name, ways in by_name.items():
        geom = as_multilinestring(data.line(w) for w in ways)
        if geom is not None:
            street = parse_street_name(name)
            specs.append(CsbmSpec(key=name, tur=street.tur, ad=street.ad, numara=street.numara, geom=geom))
    return specs


def _addresses(data: OsmData, geoms: dict[str, BaseGeometry], yapilar: list[YapiSpec],
               streets: StreetIndex) -> list[AdresSpec]:
    tree = shapely.STRtree([y.geom for y in yapilar])
    keys = {y.key for y in yapilar}
    out = []
    for el in data.elements():
        tags = el.tags
        if not (tags.get("addr:housenumber") or tags.get("addr:street")) or (g := geoms.get(el.ref)) is None:
            continue
        door = anchor_point(g)
        yapi = el.ref if el.ref in keys else None
        if yapi is None and el.kind == "node":
            inside = tree.query(door, predicate="within")
            yapi = yapilar[int(inside[0])].key if len(inside) else None
        out.append(AdresSpec(geom=door, kapi_no=tags.get("addr:housenumber", "")[:20], yapi=yapi,
                             csbm=streets.find(tags["addr:street"]) if tags.get("addr:street") else None,
                             yazildigi_gibi=written_address(tags)))
    return out


def _geometries(data: OsmData, elements: Iterable[Element]) -> dict[str, BaseGeometry]:
    return {el.ref: g for el in elements if (g := data.geometry(el)) is not None and not g.is_empty}


def district_from_osm(data: OsmData) -> District:
    buildings = _buildings(data)
    yapilar = [YapiSpec(key=el.ref, geom=g, ad=el.tags.get("name", "")[:150], kullanim=_use(el.tags),
                        kat_ust=max(1, _levels(el.tags.get("building:levels"), 1)),
                        kat_alt=_levels(el.tags.get("building:levels:underground"), 0),
                        osm_id=el.id if el.kind == "way" else -el.id) for el, g in buildings]
    frame = box(*shapely.union_all([data.extent()] + [g for _, g in buildings]).bounds)
    interesting = [el for el in data.elements() if any(k in el.tags for k in (
        "amenity", "leisure", "shop", "addr:street", "addr:housenumber", "addr:neighbourhood",
        "addr:district", "highway"))]
    geoms = _geometries(data, interesting) | {el.ref: g for el, g in buildings}

    places = [(data.point(n), short_mahalle_name(n.tags["name"])) for n in data.nodes
              if n.tags.get("place") in PLACE_NODES and n.tags.get("name")]
    areas = mahalle_areas(data, frame, _hints(data, geoms, "addr:neighbourhood", shorten=True), places)
    ilceler, owners = _ilceler(data, frame, geoms, areas)
    mahalleler = [MahalleSpec(key=f"mah{i + 1}", ad=a.name, ilce=owner, geom=a.geom, yaklasik=not a.exact)
                  for i, (a, owner) in enumerate(zip(areas, owners, strict=True))]

    csbmler = _streets(data)
    index = StreetIndex({c.key: parse_street_name(c.key) for c in csbmler})
    adresler = _addresses(data, geoms, yapilar, index)

    def metric_area(g: BaseGeometry) -> float:
        return to_metric(g).area

    features = [f for el in interesting if el.ref in geoms and (f := place_features(
        el, geoms[el.ref], written_address(el.tags), metric_area)) is not None]
    il_ad, plaka = _il(data)
    return District(il_ad=il_ad, il_plaka=plaka, ilceler=ilceler, mahalleler=mahalleler, csbmler=csbmler,
                    yapilar=yapilar, adresler=adresler, features=features, assets=place_assets(data, geoms))
