"""The register bench/matching.py matches against, built in its throw-away database: by default
from the OSM export (one CSBM per named highway, approximate mahalle areas, the labelled OSM
elements' doors as the officer would record them, a plausible door for every other building on
its nearest street), optionally with synthetic streets at municipal scale.

Imported by bench/matching.py after django.setup(); not a benchmark by itself."""

import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import shapely
from django.contrib.gis.geos import GEOSGeometry
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon

from geo.text import ascii_key
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle
from numarataj.services.parse import door_key, parse_address

KINDS = [(r"caddesi|cadde", "cadde"), (r"sokak|sokağı|sk\.", "sokak"), (r"bulvarı", "bulvar"), (r"meydanı", "meydan")]
YENIMAHALLE = {"Beştepe", "Emniyet"}  # the other mahalleler of the export are in Çankaya


def read_osm(path: Path) -> tuple[dict[str, tuple[float, float]], list[tuple[str, dict, list[str]]]]:
    root = ET.parse(path).getroot()
    coords = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    elements = []
    for el in root:
        if el.tag in {"node", "way", "relation"}:
            tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
            refs = [nd.get("ref") for nd in el.findall("nd")] or [m.get("ref") for m in el.findall("member")]
            elements.append((f"{el.tag}/{el.get('id')}", tags, refs))
    return coords, elements


def _shape(ref: str, refs: list[str], coords: dict) -> Point | None:
    pts = [coords[r] for r in refs if r in coords]
    if ref.startswith("node/"):
        return Point(coords[ref[5:]])
    return MultiPoint(pts).centroid if pts else None


def minimal_register(osm: Path, labels: list[dict]) -> None:
    """Il, ilçeler, approximate mahalleler, CSBM per named highway, labelled and building doors."""
    coords, elements = read_osm(osm)
    ways = {ref[4:]: refs for ref, _, refs in elements if ref.startswith("way/")}
    il = Il.objects.create(ad="Ankara", plaka=6)
    ilceler = {ad: Ilce.objects.create(il=il, ad=ad) for ad in ("Çankaya", "Yenimahalle")}
    hulls: list[tuple[Mahalle, Polygon]] = []
    for ref, tags, members in elements:
        if ref.startswith("relation/") and tags.get("admin_level") == "8" and tags.get("name"):
            pts = [coords[n] for w in members if w in ways for n in ways[w] if n in coords]
            hull = MultiPoint(pts).convex_hull if len(pts) >= 3 else None
            if isinstance(hull, Polygon):
                ad = re.sub(r"\s+Mahallesi$", "", tags["name"])
                ilce = ilceler["Yenimahalle" if ad in YENIMAHALLE else "Çankaya"]
                m = Mahalle.objects.create(ilce=ilce, ad=ad, yaklasik=True,
                                           geom=GEOSGeometry(f"SRID=4326;{MultiPolygon([hull]).wkt}"))
                hulls.append((m, hull))
    hulls.sort(key=lambda mh: mh[1].area)  # smallest first: the most specific area wins an overlap

    def mahalle_of(g) -> Mahalle | None:
        return next((m for m, h in hulls if h.intersects(g)), None)

    lines: dict[tuple[str, str, int | None], list[LineString]] = {}
    for ref, tags, refs in elements:
        name = " ".join(tags.get("name", "").split())
        if ref.startswith("way/") and tags.get("highway") and name:
            for pattern, tur in KINDS:
                m = re.match(rf"^(.+?)\s+(?:{pattern})$", name, re.IGNORECASE)
                if m:
                    num = re.match(r"^(\d+)\.?(\s*\(\d+\.?\))?$", m.group(1))
                    key = (tur, "" if num else m.group(1), int(num.group(1)) if num else None)
                    pts = [coords[r] for r in refs if r in coords]
                    if len(pts) >= 2:
                        lines.setdefault(key, []).append(LineString(pts))
                    break
    streets: dict[str, tuple[Csbm, MultiLineString]] = {}
    for (tur, ad, numara), parts in lines.items():
        geom = MultiLineString(parts)
        csbm = Csbm.objects.create(ilce=ilceler["Çankaya"], tur=tur, ad=ad, numara=numara,
                                   geom=GEOSGeometry(f"SRID=4326;{geom.wkt}"))
        csbm.mahalleler.set([m for m, h in hulls if h.intersects(geom)])
        streets[label_key(csbm.tam_ad)] = (csbm, geom)

    used: dict[int, set[int]] = {}
    by_ref = {ref: (tags, refs) for ref, tags, refs in elements}
    for row in labels:  # the labelled OSM elements' doors, on the street their label names
        if row["group"] == "osm" and row["expected_door"] and row["osm_ref"] in by_ref:
            csbm, _ = streets[label_key(row["expected_street"])]
            point = _shape(row["osm_ref"], by_ref[row["osm_ref"]][1], coords)
            Adres.objects.create(csbm=csbm, mahalle=mahalle_of(point), kapi_no=row["expected_door"],
                                 geom=GEOSGeometry(f"SRID=4326;{point.wkt}"))
            used.setdefault(csbm.id, set()).add(door_key(row["expected_door"])[1])

    tree = shapely.STRtree([g for _, g in streets.values()])
    csbms = [c for c, _ in streets.values()]
    per_street: dict[int, list[tuple[float, Point]]] = {}
    for ref, tags, refs in elements:
        if ref.startswith("way/") and "building" in tags and "addr:housenumber" not in tags:
            point = _shape(ref, refs, coords)
            i = int(tree.nearest(point))
            if tree.geometries[i].distance(point) < 0.0008:  # ~70 m
                per_street.setdefault(csbms[i].id, []).append((tree.geometries[i].project(point), point))
    rows, units, code = [], [], 1_000_000_000
    for cid, doors in per_street.items():
        numbers = (n for n in range(1, 10_000) if n not in used.get(cid, set()))
        for _, point in sorted(doors, key=lambda d: d[0]):
            rows.append(Adres(csbm_id=cid, mahalle=mahalle_of(point), kapi_no=str(next(numbers)),
                              geom=GEOSGeometry(f"SRID=4326;{point.wkt}")))
    for adres in Adres.objects.bulk_create(rows):
        for ic in range(1, 5):
            code += 1
            units.append(BagimsizBolum(adres=adres, ic_kapi_no=str(ic), kat=(ic - 1) // 2, adres_kodu=str(code)))
    BagimsizBolum.objects.bulk_create(units)


SYLLABLES = ["ka", "ra", "çe", "li", "de", "mir", "ta", "şe", "nu", "ay", "ol", "tan", "er", "su", "yıl", "dız",
             "ko", "nak", "bey", "han", "öz", "türk", "ze", "ki", "ma", "vi", "sel", "ır", "ma", "kaya", "ba", "şak"]


def synthetic_streets(n: int, doors: int = 20) -> None:
    """n more streets (a third numbered) with ``doors`` doors each, east of the export: a register the
    size of a large ilçe, so that fuzzy search and the index are measured at municipal scale."""
    rng, ilce = random.Random(11), Ilce.objects.get(ad="Çankaya")
    seen = {label_key(c.tam_ad) for c in Csbm.objects.all()}
    created = []
    while len(created) < n:
        tur = rng.choice(["cadde", "sokak", "sokak", "bulvar"])
        if rng.random() < 0.33 and tur != "bulvar":
            ad, numara = "", rng.randint(100, 3999)
        else:
            words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(rng.randint(1, 2))]
            ad, numara = " ".join(w.capitalize() for w in words), None
        csbm = Csbm(ilce=ilce, tur=tur, ad=ad, numara=numara)
        if label_key(csbm.tam_ad) in seen:
            continue
        seen.add(label_key(csbm.tam_ad))
        x, y = 33.0 + (len(created) % 50) * 0.004, 39.9 + (len(created) // 50) * 0.002
        csbm.geom = GEOSGeometry(f"SRID=4326;MULTILINESTRING(({x} {y}, {x + 0.003} {y}))")
        created.append(csbm)
    Csbm.objects.bulk_create(created, batch_size=1000)
    Adres.objects.bulk_create([Adres(csbm=c, kapi_no=str(k), geom=c.geom.centroid) for c in created
                               for k in range(1, doors + 1)], batch_size=2000)


def label_key(street: str) -> tuple:
    """Compare street labels by what they mean: name key, number and kind."""
    parsed = parse_address(street).streets
    return (parsed[0].name_key, parsed[0].number, parsed[0].kind) if parsed else (ascii_key(street),)
