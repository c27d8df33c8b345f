"""Smart-city assets of the demo district, with FIWARE-style attributes: car parks, signalised
junctions with their traffic cameras, a tourist camera over Gazi Meydanı, and waste containers
along the sokaks.

Times are offsets from a fixed demo moment, never from 'now', so a seed always gives the same rows."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shapely.geometry import Point, Polygon

from numarataj.models import CsbmTuru, Yapi

from .buildings import Building
from .layout import XS, YS, Plan

DEMO_MOMENT = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
CAMERA_JUNCTIONS = [(XS[2], YS[1]), (XS[2], YS[3]), (XS[1], YS[2]), (XS[3], YS[2])]


@dataclass
class PlannedAsset:
    kind: str
    number: int
    geom: Point
    name: str
    attributes: dict[str, Any]

    @property
    def asset_id(self) -> str:
        return f"urn:ngsi-ld:{self.kind}:demo-{self.number:04d}"


def _car_parks(rng: random.Random, car_parks: list[tuple[str, Polygon]],
               buildings: list[Building]) -> list[PlannedAsset]:
    out = []
    for mahalle, site in car_parks:
        total = int(site.area / 28)  # ~28 m² a car with aisles
        out.append((f"{mahalle} Açık Otoparkı", site.point_on_surface(), total, ["public", "free"]))
    pool = [b for b in buildings if b.street.tur == CsbmTuru.BULVAR and b.kullanim == Yapi.Kullanim.ISYERI]
    for b, name in zip(rng.sample(pool, 2), ["Merkez Katlı Otoparkı", "Cumhuriyet Katlı Otoparkı"], strict=True):
        b.ad, b.kat_ust, b.kat_alt = name, 4, 2
        out.append((name, b.poly.point_on_surface(), int(b.poly.area / 25) * 6, ["public", "feeCharged"]))
    assets = []
    for name, spot, total, category in out:
        free = rng.randint(0, total)
        assets.append(PlannedAsset("OffStreetParking", len(assets) + 1, spot, name, {
            "totalSpotNumber": total, "availableSpotNumber": free, "occupancy": round(1 - free / total, 2),
            "category": category, "openingHours": "Mo-Su 00:00-24:00" if "Açık" in name else "Mo-Su 07:00-23:00",
            "fee": "ücretsiz" if "free" in category else "ilk saat 30 TL, sonraki her saat 15 TL"}))
    return assets


def _junctions(rng: random.Random, plan: Plan) -> list[PlannedAsset]:
    """Signals where arterials cross inside the district and where the boulevards meet the edge caddes."""
    names = {(s.key[4], float(s.key[5:])): s.tam_ad for s in plan.streets if s.key.startswith("art-")}
    spots = [(x, y) for x in XS[1:-1] for y in YS[1:-1] if (x, y) != (0.0, 0.0)]
    spots += [(XS[2], YS[0]), (XS[2], YS[-1]), (XS[0], YS[2]), (XS[-1], YS[2])]
    cameras = [PlannedAsset("Camera", i + 1, Point(x + 15, y + 15), f"Kavşak kamerası {i + 1}", {
        "cameraType": "traffic", "direction": rng.choice([45, 135, 225, 315]),
        "streamUrl": f"rtsp://kamera.yenikent.bel.tr/kavsak-{i + 1}"}) for i, (x, y) in enumerate(CAMERA_JUNCTIONS)]
    views = [PlannedAsset("TouristCamera", 1, Point(40, 40), "Gazi Meydanı kamerası", {
        "cameraType": "tourist", "direction": 225, "snapshotUrl": "https://kamera.yenikent.bel.tr/gazi-meydani.jpg"})]
    signals = []
    for i, (x, y) in enumerate(spots):
        crossing = f"{names[('x', x)]} / {names[('y', y)]}"
        linked = [c.asset_id for c, spot in zip(cameras, CAMERA_JUNCTIONS, strict=False) if spot == (x, y)]
        signals.append(PlannedAsset("TrafficSignal", i + 1, Point(x, y), f"{crossing} kavşağı", {
            "intersection": crossing, "controllerId": f"YK-SK-{i + 1:02d}",
            "mode": rng.choices(["normal", "flashing"], [11, 1])[0], "currentPhase": rng.choice("ABC"),
            "priorityRequests": 0, "linkedCameras": linked}))
    return signals + cameras + views


def _waste_containers(rng: random.Random, plan: Plan) -> list[PlannedAsset]:
    """A container every 70-110 m along each sokak, on alternating kerbs."""
    out = []
    for street in plan.streets:
        if street.tur != CsbmTuru.SOKAK:
            continue
        line, side, s = street.line, 1, rng.uniform(20, 60)
        (ax, ay), (bx, by) = line.coords[0], line.coords[-1]
        tx, ty = (bx - ax) / line.length, (by - ay) / line.length
        while s < line.length - 20:
            off = (street.half_width - 1) * side
            emptied = DEMO_MOMENT - timedelta(hours=rng.randint(2, 96))
            spot = Point(ax + tx * s - ty * off, ay + ty * s + tx * off)
            out.append(PlannedAsset("WasteContainer", len(out) + 1, spot, f"{street.tam_ad} konteyner {len(out) + 1}", {
                "fillingLevel": round(rng.random(), 2),
                "status": rng.choices(["ok", "lidOpen", "dropped", "vandalized"], [90, 6, 2, 2])[0],
                "binCapacity": rng.choice([770, 1100]), "temperature": round(rng.uniform(12, 32), 1),
                "dateLastEmptying": emptied.isoformat()}))
            side, s = -side, s + rng.uniform(70, 110)
    return out


def plan_assets(rng: random.Random, plan: Plan, car_parks: list[tuple[str, Polygon]],
                buildings: list[Building]) -> list[PlannedAsset]:
    return _car_parks(rng, car_parks, buildings) + _junctions(rng, plan) + _waste_containers(rng, plan)
