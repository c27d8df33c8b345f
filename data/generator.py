"""The demo district 'Yenikent' (Ankara), generated from a seed with no network and no files.

`build_district(seed)` lays out the plan in metres (data/demo/), turns it and places it on the map
east of Ankara's centre, clear of the OpenStreetMap sample (32.80-32.84E, 39.92-39.94N), and
returns it as a register.District ready for write_district. Same seed, same district.

Codes: Kent never invents official codes for real registers (new doors and units await UAVT's,
see numarataj.models.adres.TESCIL_BEKLIYOR). The demo district has no national register behind
it, so it is given DEMO codes drawn from the seed (mahalle 5, CSBM 7, yapı 9, door 8 and unit 10
digits): the city guide's code search, the address cards and the register import/export round
trip need codes to show. They are demo data, meaningless outside this demo."""

import math
import random
from collections.abc import Sequence

import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import MultiLineString, MultiPolygon
from shapely.geometry.base import BaseGeometry

from numarataj.models import Adres, Yapi

from .demo.assets import plan_assets
from .demo.buildings import Building, number_doors, place_buildings
from .demo.layout import MAIN_SQUARE, build_plan
from .demo.places import furnish, reserve_blocks, special_buildings
from .geometry import as_multipolygon, transformer
from .register import (
    AdresSpec,
    AssetSpec,
    BolumSpec,
    CsbmSpec,
    District,
    FeatureSpec,
    IlceSpec,
    KioskSpec,
    MahalleSpec,
    YapiSpec,
)

CENTRE = (32.92, 39.86)  # lon, lat
IL, PLAKA, ILCE = "Ankara", 6, "Yenikent"
BELEDIYE = "Yenikent Belediyesi"
KIOSK_ID, KIOSK_NAME = "meydan", "Gazi Meydanı kiosku"  # README links /kiosk/meydan/


class _Frame:
    """Plan metres -> lon/lat: turn the grid by a seeded angle, move it to CENTRE, unproject."""

    def __init__(self, angle_deg: float) -> None:
        self.cos, self.sin = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
        self.x0, self.y0 = transformer(settings.STORAGE_SRID, settings.LOCAL_SRID).transform(*CENTRE)
        self.to_lonlat = transformer(settings.LOCAL_SRID, settings.STORAGE_SRID)

    def _move(self, xy: np.ndarray) -> np.ndarray:
        x = self.x0 + xy[:, 0] * self.cos - xy[:, 1] * self.sin
        y = self.y0 + xy[:, 0] * self.sin + xy[:, 1] * self.cos
        lon, lat = self.to_lonlat.transform(x, y)
        return np.column_stack([lon, lat])

    def apply(self, geoms: Sequence[BaseGeometry]) -> list[BaseGeometry]:
        if not geoms:
            return []
        return list(shapely.transform(np.asarray(geoms, dtype=object), self._move))


def _codes(rng: random.Random, digits: int, n: int) -> list[str]:
    """n distinct DEMO codes of `digits` digits (shaped like UAVT's; see the module docstring)."""
    return [str(c) for c in rng.sample(range(10 ** (digits - 1), 10 ** digits), n)]


def _bolumler(rng: random.Random, b: Building) -> list[tuple[int, str]]:
    """A couple of flats/shops per door, spread over the floors: (kat, kullanım)."""
    n = rng.randint(1, 2) if b.kat_ust <= 2 else rng.randint(2, 4)
    out = []
    for i in range(n):
        kat = i * b.kat_ust // n
        if b.kullanim == Yapi.Kullanim.KONUT:
            use = "konut"
        elif b.kullanim == Yapi.Kullanim.KARMA:
            use = "isyeri" if kat == 0 else "konut"
        else:
            use = str(b.kullanim)
        out.append((kat, use))
    return out


def build_district(seed: int = 1) -> District:
    rng = random.Random(seed)
    plan = build_plan(rng)
    reserved = reserve_blocks(rng, plan)
    buildings = place_buildings(rng, plan, reserved.union()) + special_buildings(rng, plan, reserved)
    number_doors(buildings)
    for b, code in zip(buildings, _codes(rng, 9, len(buildings)), strict=True):
        b.maks_id = code
    places = furnish(rng, plan, reserved, buildings)
    assets = plan_assets(rng, plan, reserved.car_parks, buildings)
    frame = _Frame(rng.uniform(-20, 20))

    mah_geoms = frame.apply([m.geom for m in plan.mahalleler])
    mahalleler = [MahalleSpec(key=m.key, ad=m.ad, ilce="ilce", geom=MultiPolygon([g]), uavt_kodu=code)
                  for m, g, code in zip(plan.mahalleler, mah_geoms, _codes(rng, 5, len(mah_geoms)), strict=True)]
    ilce = IlceSpec(key="ilce", ad=ILCE, geom=as_multipolygon(shapely.union_all(mah_geoms)))
    csbmler = [CsbmSpec(key=s.key, tur=s.tur, ad=s.ad, numara=s.numara, geom=MultiLineString([g]), uavt_kodu=code,
                        ilce="ilce")
               for s, g, code in zip(plan.streets, frame.apply([s.line for s in plan.streets]),
                                     _codes(rng, 7, len(plan.streets)), strict=True)]
    footprints = frame.apply([b.poly for b in buildings])
    yapilar = [YapiSpec(key=b.key, geom=MultiPolygon([g]), ad=b.ad, kat_ust=b.kat_ust, kat_alt=b.kat_alt,
                        kullanim=b.kullanim, maks_id=b.maks_id) for b, g in zip(buildings, footprints, strict=True)]
    flats = [_bolumler(rng, b) for b in buildings]
    flat_codes = iter(_codes(rng, 10, sum(len(f) for f in flats)))
    adresler = [
        AdresSpec(geom=door, kapi_no=b.kapi_no, csbm=b.street.key, yapi=b.key, uavt_kodu=code,
                  taraf=Adres.Taraf.SOL if b.side == 1 else Adres.Taraf.SAG,
                  bolumler=[BolumSpec(ic_kapi_no=str(i + 1), kat=kat, kullanim=use, adres_kodu=next(flat_codes))
                            for i, (kat, use) in enumerate(f)])
        for b, door, f, code in zip(buildings, frame.apply([b.door for b in buildings]), flats,
                                    _codes(rng, 8, len(buildings)), strict=True)]
    features = [FeatureSpec(layer=p.layer, geom=g, properties=p.properties)
                for p, g in zip(places, frame.apply([p.geom for p in places]), strict=True)]
    asset_specs = [AssetSpec(kind=a.kind, asset_id=a.asset_id, geom=g, name=a.name, attributes=a.attributes)
                   for a, g in zip(assets, frame.apply([a.geom for a in assets]), strict=True)]
    kiosk = KioskSpec(KIOSK_ID, KIOSK_NAME, frame.apply([MAIN_SQUARE])[0])
    return District(il_ad=IL, il_plaka=PLAKA, ilceler=[ilce], mahalleler=mahalleler, csbmler=csbmler,
                    yapilar=yapilar, adresler=adresler, features=features, assets=asset_specs, kiosks=[kiosk])
