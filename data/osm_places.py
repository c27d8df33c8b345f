"""Points of interest and smart-city assets from OSM tags.

amenity/leisure/shop/highway=bus_stop objects become rows of the place layers (one table below
says which layer), amenity=parking becomes an OffStreetParking asset and highway=traffic_signals
a TrafficSignal asset. Unnamed places get the Turkish word for what they are, since the public
service layers require a name."""

import re
from collections.abc import Callable

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from .geometry import anchor_point
from .osm import Element, OsmData
from .register import AssetSpec, FeatureSpec

AMENITY_LAYERS = {
    "pharmacy": "eczaneler", "school": "okullar", "kindergarten": "okullar", "hospital": "saglik-tesisleri",
    "clinic": "saglik-tesisleri", "doctors": "saglik-tesisleri", "dentist": "saglik-tesisleri",
    "place_of_worship": "ibadet-yerleri", "library": "kutuphaneler", "toilets": "tuvaletler",
}
LABELS = {
    "pharmacy": "Eczane", "school": "Okul", "kindergarten": "Anaokulu", "hospital": "Hastane",
    "clinic": "Poliklinik", "doctors": "Muayenehane", "dentist": "Diş hekimi", "place_of_worship": "İbadet yeri",
    "library": "Kütüphane", "toilets": "Umumi tuvalet", "cafe": "Kafe", "restaurant": "Lokanta", "atm": "ATM",
    "bank": "Banka", "bar": "Bar", "pub": "Birahane", "fast_food": "Büfe", "fuel": "Akaryakıt istasyonu",
    "post_office": "Postane", "police": "Polis", "cinema": "Sinema", "taxi": "Taksi durağı",
    "car_wash": "Oto yıkama", "university": "Üniversite", "marketplace": "Pazar yeri", "grave_yard": "Mezarlık",
    "park": "Park", "pitch": "Spor sahası", "garden": "Bahçe", "playground": "Çocuk oyun alanı",
    "supermarket": "Market", "clothes": "Giyim mağazası", "optician": "Optik", "pastry": "Pastane",
    "patisserie": "Pastane", "stationery": "Kırtasiye", "hairdresser": "Kuaför", "bakery": "Fırın",
    "bus_stop": "Otobüs durağı",
}


def label(value: str) -> str:
    return LABELS.get(value, value.replace("_", " ").capitalize())


def _int(text: str | None) -> int | None:
    m = re.match(r"\s*(\d+)", text or "")
    return int(m.group(1)) if m else None


def _layer(tags: dict[str, str], geom: BaseGeometry) -> tuple[str, str] | None:
    """(layer slug, kind) for a place, or None when it is not one."""
    if tags.get("highway") == "bus_stop":
        return "otobus-duraklari", "bus_stop"
    amenity = tags.get("amenity")
    if amenity == "parking":
        return None
    if amenity:
        return AMENITY_LAYERS.get(amenity, "diger-yerler"), amenity
    if tags.get("leisure") == "park" and isinstance(geom, (Polygon, MultiPolygon)):
        return "parklar", "park"
    if tags.get("leisure"):
        return "diger-yerler", tags["leisure"]
    if tags.get("shop"):
        return "diger-yerler", tags["shop"]
    return None


def place_features(el: Element, geom: BaseGeometry, written: str, metric_area: Callable[[BaseGeometry], float]
                   ) -> FeatureSpec | None:
    """The place-layer row for one OSM object, if it is a place."""
    found = _layer(el.tags, geom)
    if found is None:
        return None
    slug, kind = found
    props: dict = {"ad": el.tags.get("name") or label(kind), "tur": kind, "osm_id": el.ref}
    if written:
        props["adres"] = written
    if slug == "parklar":
        return FeatureSpec(slug, geom, {**props, "alan_m2": round(metric_area(geom))})
    if slug == "otobus-duraklari":
        if el.tags.get("ref"):
            props["durak_no"] = el.tags["ref"]
        if el.tags.get("route_ref"):
            props["hatlar"] = [r.strip() for r in el.tags["route_ref"].split(";") if r.strip()]
    if slug == "tuvaletler" and el.tags.get("wheelchair"):
        props["engelli_erisimi"] = el.tags["wheelchair"] == "yes"
    return FeatureSpec(slug, anchor_point(geom), props)


def _parking(el: Element, geom: BaseGeometry) -> AssetSpec:
    tags = el.tags
    category = ["private" if tags.get("access") in ("private", "no", "customers") else "public"]
    if tags.get("fee") in ("yes", "no"):
        category.append("feeCharged" if tags["fee"] == "yes" else "free")
    attrs: dict = {"category": category}
    if (capacity := _int(tags.get("capacity"))) is not None:
        attrs["totalSpotNumber"] = capacity
    if tags.get("opening_hours"):
        attrs["openingHours"] = tags["opening_hours"]
    if tags.get("fee"):
        attrs["fee"] = tags["fee"]
    return AssetSpec(kind="OffStreetParking", asset_id=f"urn:ngsi-ld:OffStreetParking:osm-{el.kind}-{el.id}",
                     geom=anchor_point(geom), name=tags.get("name", ""), attributes=attrs, osm_id=el.id)


def place_assets(data: OsmData, geoms: dict[str, BaseGeometry]) -> list[AssetSpec]:
    """Car parks (nodes, ways, areas) and signalised junctions, named after the streets they join."""
    streets_at: dict[int, set[str]] = {}
    signals = [n for n in data.nodes if n.tags.get("highway") == "traffic_signals"]
    wanted = {n.id for n in signals}
    for way in data.ways.values():
        if way.tags.get("highway") and way.tags.get("name"):
            for ref in wanted.intersection(way.refs):
                streets_at.setdefault(ref, set()).add(way.tags["name"])
    assets = [_parking(el, geoms[el.ref]) for el in data.elements()
              if el.tags.get("amenity") == "parking" and geoms.get(el.ref) is not None]
    for node in signals:
        crossing = " / ".join(sorted(streets_at.get(node.id, ())))
        assets.append(AssetSpec(kind="TrafficSignal", asset_id=f"urn:ngsi-ld:TrafficSignal:osm-node-{node.id}",
                                geom=data.point(node), name=f"Işıklı kavşak: {crossing}" if crossing else "",
                                attributes={"intersection": crossing} if crossing else {}, osm_id=node.id))
    return assets
