"""Public places of the demo district: parks, schools, a hospital, mosques, pharmacies, muhtarlıks,
bus stops and the disaster layers, tied to real buildings and blocks of the plan."""

import random
from dataclasses import dataclass, field

import shapely
from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from numarataj.models import CsbmTuru, Yapi

from .buildings import Building
from .layout import XS, YS, Plan, Street

K = Yapi.Kullanim
PARKS = ["Atatürk", "Şehitler", "Gençlik", "Barış", "Sevgi", "Çamlık", "Aşık Veysel", "Neşet Ertaş",
         "Cahit Sıtkı Tarancı", "Fuzuli"]
SCHOOLS = [("ilkokul", "İlkokulu"), ("ortaokul", "Ortaokulu"), ("lise", "Anadolu Lisesi")]
MOSQUES = ["Merkez", "Fatih", "Yunus Emre", "Hacı Bayram-ı Veli", "Mevlana", "Akşemsettin"]
PHARMACIES = ["Şifa", "Hayat", "Deva", "Güneş", "Yıldız", "Merkez", "Umut", "Sağlık", "Nur", "Hilal", "Ada",
              "Lokman Hekim", "Ece", "Defne"]
OUTER_CADDES = {f"art-x{int(XS[0])}", f"art-x{int(XS[-1])}", f"art-y{int(YS[0])}", f"art-y{int(YS[-1])}"}
BUS_LINES = ["185", "186", "290", "412", "413", "417", "418", "520"]


@dataclass
class Reserved:
    """Blocks kept free of ordinary buildings."""

    parks: list[tuple[str, Polygon]] = field(default_factory=list)
    schools: list[tuple[str, Polygon]] = field(default_factory=list)  # (mahalle name, site)
    hospital: Polygon = field(default_factory=Polygon)
    car_parks: list[tuple[str, Polygon]] = field(default_factory=list)

    def union(self) -> BaseGeometry:
        sites = [p for _, p in self.parks + self.schools + self.car_parks] + [self.hospital]
        return shapely.union_all(sites)


@dataclass
class Place:
    """A feature-store row in plan metres."""

    layer: str
    geom: BaseGeometry
    properties: dict


def reserve_blocks(rng: random.Random, plan: Plan) -> Reserved:
    """One park and one school site per mahalle, a hospital by the boulevards, extra parks and car parks."""
    free = [b for b in plan.blocks if 3000 < b.area < 16000]
    hospital = min(free, key=lambda b: b.centroid.distance(Point(120, 120)))
    free.remove(hospital)
    out = Reserved(hospital=hospital.buffer(-2))
    for m in plan.mahalleler:
        inside = [b for b in free if m.geom.covers(b.centroid)]
        park, school = rng.sample(inside, 2)
        free = [b for b in free if b is not park and b is not school]
        out.parks.append((m.ad, park.buffer(-2)))
        out.schools.append((m.ad, school.buffer(-2)))
    for b in rng.sample(free, 6):
        m = plan.mahalle_at(b.centroid)
        (out.parks if len(out.parks) < len(plan.mahalleler) + 2 else out.car_parks).append((m.ad, b.buffer(-2)))
    return out


def _door_on_street(plan: Plan, poly: Polygon) -> tuple[Street, int, float, Point]:
    """The street a site faces (the nearest one that is not a square) and its door there."""
    street = min((s for s in plan.streets if s.tur != CsbmTuru.MEYDAN), key=lambda s: s.line.distance(poly))
    door = nearest_points(poly.exterior, street.line)[0]
    (ax, ay), (bx, by) = street.line.coords[0], street.line.coords[-1]
    side = 1 if (bx - ax) * (door.y - ay) - (by - ay) * (door.x - ax) > 0 else -1
    return street, side, street.line.project(door), door


def special_buildings(rng: random.Random, plan: Plan, reserved: Reserved) -> list[Building]:
    """School buildings inside their sites and the hospital; ordinary buildings never stand there."""
    out: list[Building] = []
    for i, (mahalle, site) in enumerate(reserved.schools):
        c = site.centroid
        inner = box(c.x - 22, c.y - 9, c.x + 22, c.y + 9).intersection(site.buffer(-6))
        poly = max(shapely.get_parts(inner), key=lambda p: p.area) if inner.geom_type != "Polygon" else inner
        _kademe, suffix = SCHOOLS[i % len(SCHOOLS)]
        street, side, s, door = _door_on_street(plan, poly)
        out.append(Building(key=f"okul{i + 1}", poly=poly, street=street, side=side, s=s, door=door,
                            kat_ust=rng.choice([3, 4]), kat_alt=1, kullanim=K.EGITIM, ad=f"{mahalle} {suffix}"))
    poly = reserved.hospital.buffer(-8)
    street, side, s, door = _door_on_street(plan, poly)
    out.append(Building(key="hastane", poly=poly, street=street, side=side, s=s, door=door, kat_ust=7, kat_alt=2,
                        kullanim=K.SAGLIK, ad="Yenikent Devlet Hastanesi"))
    return out


def _adres(b: Building, plan: Plan) -> str:
    return f"{plan.mahalle_at(b.door).ad} Mah. {b.street.tam_ad} No:{b.kapi_no}"


def _convert(pool: list[Building], rng: random.Random, kullanim: str, names: list[str],
             inside: list[Polygon] | None = None) -> list[Building]:
    """Turn buildings of the pool into named public ones (taking them out of the pool), the i-th
    inside the i-th area when given, so 'Esentepe ASM' stands in Esentepe."""
    chosen = []
    for i, ad in enumerate(names):
        options = [b for b in pool if inside is None or inside[i].covers(b.door)] or pool
        b = rng.choice(options)
        b.kullanim, b.ad = kullanim, ad
        pool.remove(b)
        chosen.append(b)
    return chosen


def furnish(rng: random.Random, plan: Plan, reserved: Reserved, buildings: list[Building]) -> list[Place]:
    """Public buildings and the places layers; modifies the chosen buildings' use and name."""
    places: list[Place] = []
    on_main = [b for b in buildings if b.street.tur in (CsbmTuru.BULVAR, CsbmTuru.CADDE) and b.kullanim != K.KONUT
               and b.key.startswith("y")]
    on_sokak = [b for b in buildings if b.street.tur == CsbmTuru.SOKAK and b.key.startswith("y")]

    for _mahalle, park in reserved.parks:
        name = PARKS[len([p for p in places if p.layer == "parklar"])]
        places.append(Place("parklar", park, {"ad": f"{name} Parkı", "tur": "park", "alan_m2": round(park.area)}))
    for place in places[:4]:
        spot = place.geom.buffer(-10).point_on_surface()
        places.append(Place("tuvaletler", spot, {"ad": f"{place.properties['ad']} Umumi Tuvaleti",
                                                 "tur": "umumi tuvalet", "engelli_erisimi": rng.random() < 0.7}))
    for b in (b for b in buildings if b.kullanim == K.EGITIM):
        kademe = next(k for k, suffix in SCHOOLS if b.ad.endswith(suffix))
        places.append(Place("okullar", b.poly.point_on_surface(), {
            "ad": b.ad, "tur": "okul", "kademe": kademe, "ogrenci_sayisi": rng.randint(300, 1200),
            "adres": _adres(b, plan)}))
    health = [b for b in buildings if b.kullanim == K.SAGLIK]
    asm = plan.mahalleler[1::2]
    health += _convert(on_main, rng, K.SAGLIK, [f"{m.ad} Aile Sağlığı Merkezi" for m in asm], [m.geom for m in asm])
    for b in health:
        tur = "hastane" if "Hastane" in b.ad else "aile_sagligi_merkezi"
        places.append(Place("saglik-tesisleri", b.poly.point_on_surface(),
                            {"ad": b.ad, "tur": tur, "adres": _adres(b, plan)}))
    for b in _convert(on_sokak, rng, K.IBADET, [f"{n} Camii" for n in MOSQUES], [m.geom for m in plan.mahalleler]):
        b.kat_ust, b.kat_alt = 1, 0
        places.append(Place("ibadet-yerleri", b.poly.point_on_surface(),
                            {"ad": b.ad, "tur": "cami", "adres": _adres(b, plan)}))
    libraries = ["Yenikent İlçe Halk Kütüphanesi", "Cumhuriyet Çocuk Kütüphanesi"]
    cumhuriyet = next(m.geom for m in plan.mahalleler if m.ad == "Cumhuriyet")
    for b in _convert(on_main, rng, K.KAMU, libraries, [plan.district, cumhuriyet]):
        places.append(Place("kutuphaneler", b.poly.point_on_surface(),
                            {"ad": b.ad, "tur": "halk kütüphanesi", "adres": _adres(b, plan)}))
    public = ["Yenikent Belediyesi Hizmet Binası", "Yenikent İlçe Emniyet Müdürlüğü"]
    for b, tur in zip(_convert(on_main, rng, K.KAMU, public), ["belediye", "emniyet"], strict=True):
        places.append(Place("diger-yerler", b.poly.point_on_surface(),
                            {"ad": b.ad, "tur": tur, "adres": _adres(b, plan)}))
    for b, name in zip(rng.sample(on_main, len(PHARMACIES)), PHARMACIES, strict=True):
        places.append(Place("eczaneler", b.door, {"ad": f"{name} Eczanesi", "tur": "eczane", "adres": _adres(b, plan)}))
    for m in plan.mahalleler:
        b = min((b for b in on_sokak if m.geom.covers(b.door)), key=lambda b: b.door.distance(m.geom.centroid))
        places.append(Place("diger-yerler", b.door, {"ad": f"{m.ad} Mahalle Muhtarlığı", "tur": "muhtarlık",
                                                     "adres": _adres(b, plan)}))
    b = rng.choice(on_main)
    places.append(Place("diger-yerler", b.door,
                        {"ad": "PTT Yenikent Şubesi", "tur": "postane", "adres": _adres(b, plan)}))
    places += _bus_stops(rng, plan, buildings)
    places += _disaster(rng, reserved, buildings, places)
    return places


def _bus_stops(rng: random.Random, plan: Plan, buildings: list[Building]) -> list[Place]:
    """Stops every ~450 m on both kerbs of the boulevards and inner caddes, named after what is near."""
    landmarks = [b for b in buildings if b.kullanim in (K.EGITIM, K.SAGLIK, K.IBADET, K.KAMU)]
    out: list[Place] = []
    for street in plan.streets:
        if street.tur not in (CsbmTuru.BULVAR, CsbmTuru.CADDE) or street.key in OUTER_CADDES:
            continue
        (ax, ay), (bx, by) = street.line.coords[0], street.line.coords[-1]
        length = street.line.length
        tx, ty = (bx - ax) / length, (by - ay) / length
        for side in (1, -1):
            s = rng.uniform(120, 200)
            while s < length - 100:
                off = street.half_width - 2
                spot = Point(ax + tx * s - ty * side * off, ay + ty * s + tx * side * off)
                near = min(landmarks, key=lambda b: b.poly.distance(spot))
                name = near.ad if near.poly.distance(spot) < 200 else f"{plan.mahalle_at(spot).ad} Mahallesi"
                out.append(Place("otobus-duraklari", spot, {
                    "ad": f"{name} Durağı", "tur": "otobüs durağı", "durak_no": str(10100 + len(out)),
                    "hatlar": sorted(rng.sample(BUS_LINES, rng.randint(2, 4)))}))
                s += rng.uniform(420, 520)
    return out


def _disaster(rng: random.Random, reserved: Reserved, buildings: list[Building], places: list[Place]) -> list[Place]:
    """Assembly areas in parks and school yards (~2 m² a person); a sample of older risky buildings."""
    out: list[Place] = []
    yards = [(b.ad, site.difference(b.poly.buffer(5))) for b, (_, site)
             in zip([b for b in buildings if b.kullanim == K.EGITIM], reserved.schools, strict=True)]
    parks = [(p.properties["ad"], p.geom) for p in places if p.layer == "parklar"]
    for ad, area in parks + yards:
        out.append(Place("afet-toplanma-alanlari", area.point_on_surface(), {
            "ad": f"{ad} Toplanma Alanı", "risk_turu": "deprem", "kapasite_kisi": int(area.area / 2),
            "alan_m2": round(area.area)}))
    old = [b for b in buildings if b.kullanim in (K.KONUT, K.KARMA) and b.kat_ust >= 3]
    for b in rng.sample(old, 25):
        out.append(Place("afet-riskli-yapilar", b.poly, {
            "risk_turu": "deprem", "risk_sinifi": rng.choice(["yüksek", "yüksek", "orta"]),
            "yapim_yili": rng.randint(1968, 1999), "maks_id": b.maks_id}))
    return out
