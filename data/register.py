"""One in-memory description of a district (the register plus places and assets) and the code that
writes it, so the generator and the OSM importer share a single, bulk-inserting writer.

Specs hold shapely geometries in storage lon/lat and refer to each other by string keys; the
writer resolves keys to rows, sets every building's mahalle by containment and every street's
mahalleler by overlap."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from shapely import STRtree
from shapely.geometry import MultiLineString, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from geo.models import Feature, Layer
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle, Yapi
from rehber.models import Kiosk
from smartcity.models import Asset

from .geometry import to_geos
from .layers import FEATURE_LAYERS

# Asset ids follow NGSI-LD: urn:ngsi-ld:<Kind>:<source>-<n>; replace removes these sources only.
ASSET_SOURCES = ("demo", "osm")
MIN_SHARED_LENGTH = 1e-5  # degrees (~1 m): a street only touching a mahalle at a point is not in it


@dataclass
class IlceSpec:
    key: str
    ad: str
    geom: MultiPolygon | None = None


@dataclass
class MahalleSpec:
    key: str
    ad: str
    ilce: str
    geom: MultiPolygon
    uavt_kodu: str = ""
    yaklasik: bool = False


@dataclass
class CsbmSpec:
    key: str
    tur: str
    ad: str
    numara: int | None
    geom: MultiLineString
    uavt_kodu: str = ""
    ilce: str | None = None  # None: the ilçe of the mahalle holding most of the street


@dataclass
class YapiSpec:
    key: str
    geom: MultiPolygon
    ad: str = ""
    kat_ust: int = 1
    kat_alt: int = 0
    kullanim: str = Yapi.Kullanim.KONUT
    maks_id: str = ""
    osm_id: int | None = None


@dataclass
class BolumSpec:
    ic_kapi_no: str
    kat: int
    kullanim: str
    adres_kodu: str


@dataclass
class AdresSpec:
    geom: Point
    kapi_no: str
    csbm: str | None = None
    yapi: str | None = None
    taraf: str = ""
    yazildigi_gibi: str = ""
    uavt_kodu: str = ""
    bolumler: list[BolumSpec] = field(default_factory=list)


@dataclass
class FeatureSpec:
    layer: str
    geom: BaseGeometry
    properties: dict[str, Any]


@dataclass
class AssetSpec:
    kind: str
    asset_id: str
    geom: Point
    name: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    osm_id: int | None = None


@dataclass
class KioskSpec:
    """A touch kiosk of the city guide standing in the district (rehber.Kiosk), e.g. on its main square."""

    kiosk_id: str
    name: str
    location: Point


@dataclass
class District:
    il_ad: str
    il_plaka: int
    ilceler: list[IlceSpec]
    mahalleler: list[MahalleSpec]
    csbmler: list[CsbmSpec] = field(default_factory=list)
    yapilar: list[YapiSpec] = field(default_factory=list)
    adresler: list[AdresSpec] = field(default_factory=list)
    features: list[FeatureSpec] = field(default_factory=list)
    assets: list[AssetSpec] = field(default_factory=list)
    kiosks: list[KioskSpec] = field(default_factory=list)


def _our_assets() -> Q:
    return Q(asset_id__regex=rf"^urn:ngsi-ld:[A-Za-z]+:({'|'.join(ASSET_SOURCES)})-")


def register_is_empty() -> bool:
    """True when there is no register content a new build would collide with."""
    return not (Ilce.objects.exists() or Mahalle.objects.exists() or Csbm.objects.exists()
                or Yapi.objects.exists() or Adres.objects.exists() or Asset.objects.filter(_our_assets()).exists())


def _purge(qs: QuerySet, depth: int = 0) -> None:
    """Delete rows together with whatever PROTECTs them (cards, decisions, plans about the old
    district lose their meaning with it). Django raises before it deletes, so retrying is safe."""
    while True:
        try:
            qs.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            if depth > 8:
                raise
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            by_model: dict[type, list] = {}
            for obj in blockers:
                by_model.setdefault(type(obj), []).append(obj.pk)
            for model, pks in by_model.items():
                _purge(model._base_manager.filter(pk__in=pks), depth + 1)


def wipe_register() -> None:
    """Delete the address register, the core feature layers' rows and demo/OSM assets.
    Layers, groups and grants stay. Call inside the caller's transaction."""
    for model in (BagimsizBolum, Adres, Yapi, Csbm, Mahalle, Ilce, Il):
        _purge(model._base_manager.all())
    Feature.objects.filter(layer__slug__in=FEATURE_LAYERS).delete()
    _purge(Asset.objects.filter(_our_assets()))


def _bulk(model: type, rows: list, step: Callable[[int], None]) -> list:
    """bulk_create in batches, reporting progress; PostgreSQL fills in the primary keys."""
    done = []
    for i in range(0, len(rows), 1000):
        done += model.objects.bulk_create(rows[i:i + 1000])
        step(len(rows[i:i + 1000]))
    return done


class _Locator:
    """Which mahalle a point lies in (nearest one when it lies in none)."""

    def __init__(self, geoms: list[BaseGeometry]) -> None:
        self.tree = STRtree(geoms)

    def locate(self, points: Iterable[Point]) -> list[int]:
        pts = list(points)
        if not pts:
            return []
        found: dict[int, int] = {}
        inp, hit = self.tree.query(pts, predicate="within")
        for i, j in zip(inp.tolist(), hit.tolist(), strict=True):
            found.setdefault(i, j)
        missing = [i for i in range(len(pts)) if i not in found]
        if missing:
            _, near = self.tree.query_nearest([pts[i] for i in missing], all_matches=False)
            found.update(zip(missing, near.tolist(), strict=True))
        return [found[i] for i in range(len(pts))]


def _write_streets(d: District, ilceler: dict[str, Ilce], mah_rows: list[Mahalle],
                   step: Callable[[int], None]) -> list[Csbm]:
    """CSBM rows, each linked to the mahalleler it runs through (not merely touches); its ilçe
    is the given one, else that of the mahalle holding most of it."""
    rows, links = [], []
    for s in d.csbmler:
        shared = [(shapely.intersection(s.geom, m.geom).length, i) for i, m in enumerate(d.mahalleler)]
        longest = max(shared, default=(0.0, -1))
        if s.ilce:
            ilce = ilceler[s.ilce]
        else:
            ilce = mah_rows[longest[1]].ilce if longest[0] > 0 else ilceler[d.ilceler[0].key]
        rows.append(Csbm(ilce=ilce, tur=s.tur, ad=s.ad, numara=s.numara, uavt_kodu=s.uavt_kodu, geom=to_geos(s.geom)))
        links.append([i for length, i in shared if length > MIN_SHARED_LENGTH])
    rows = _bulk(Csbm, rows, step)
    through = Csbm.mahalleler.through
    _bulk(through, [through(csbm_id=c.pk, mahalle_id=mah_rows[i].pk)
                    for c, inside in zip(rows, links, strict=True) for i in inside], lambda n: None)
    return rows


def write_district(d: District, step: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Insert the whole district; returns row counts by kind. Call inside a transaction."""
    il, _ = Il.objects.update_or_create(plaka=d.il_plaka, defaults={"ad": d.il_ad})
    ilceler = {s.key: Ilce.objects.create(il=il, ad=s.ad, geom=to_geos(s.geom) if s.geom else None)
               for s in d.ilceler}
    mah_rows = _bulk(Mahalle, [Mahalle(ilce=ilceler[s.ilce], ad=s.ad, uavt_kodu=s.uavt_kodu, yaklasik=s.yaklasik,
                                       geom=to_geos(s.geom)) for s in d.mahalleler], step)
    locator = _Locator([s.geom for s in d.mahalleler])
    csbm_rows = _write_streets(d, ilceler, mah_rows, step)
    csbmler = dict(zip([s.key for s in d.csbmler], csbm_rows, strict=True))

    where = locator.locate(s.geom.point_on_surface() for s in d.yapilar)
    yapi_rows = _bulk(Yapi, [Yapi(mahalle=mah_rows[w], ad=s.ad, maks_id=s.maks_id, kat_ust=s.kat_ust,
                                  kat_alt=s.kat_alt, kullanim=s.kullanim, osm_id=s.osm_id, geom=to_geos(s.geom))
                             for s, w in zip(d.yapilar, where, strict=True)], step)
    yapilar = dict(zip([s.key for s in d.yapilar], yapi_rows, strict=True))

    door_where = locator.locate(s.geom for s in d.adresler)
    adres_rows = _bulk(Adres, [
        Adres(csbm=csbmler.get(s.csbm) if s.csbm else None, yapi=yapilar.get(s.yapi) if s.yapi else None,
              mahalle=yapilar[s.yapi].mahalle if s.yapi in yapilar else mah_rows[w],
              kapi_no=s.kapi_no, taraf=s.taraf, yazildigi_gibi=s.yazildigi_gibi[:300], uavt_kodu=s.uavt_kodu or None,
              geom=to_geos(s.geom))
        for s, w in zip(d.adresler, door_where, strict=True)], step)
    bolum_rows = _bulk(BagimsizBolum, [
        BagimsizBolum(adres=a, ic_kapi_no=b.ic_kapi_no, kat=b.kat, kullanim=b.kullanim, adres_kodu=b.adres_kodu or None)
        for a, s in zip(adres_rows, d.adresler, strict=True) for b in s.bolumler], step)

    layers = {lyr.slug: lyr for lyr in Layer.objects.filter(slug__in={f.layer for f in d.features})}
    feature_rows = _bulk(Feature, [Feature(layer=layers[f.layer], geom=to_geos(f.geom), properties=f.properties)
                                   for f in d.features], step)
    asset_rows = _bulk(Asset, [Asset(kind_id=a.kind, asset_id=a.asset_id, name=a.name, attributes=a.attributes,
                                     osm_id=a.osm_id, geom=to_geos(a.geom)) for a in d.assets], step)
    for k in d.kiosks:  # kept across --replace: a kiosk is a device in the street, its page a link people keep
        Kiosk.objects.update_or_create(kiosk_id=k.kiosk_id, defaults={
            "name": k.name, "location": to_geos(k.location), "active": True})
    return {"ilce": len(ilceler), "mahalle": len(mah_rows), "csbm": len(csbm_rows), "yapi": len(yapi_rows),
            "adres": len(adres_rows), "bagimsiz_bolum": len(bolum_rows), "feature": len(feature_rows),
            "asset": len(asset_rows)}


def total_rows(d: District) -> int:
    """How many rows write_district reports through `step`, for a progress bar's total."""
    return (len(d.mahalleler) + len(d.csbmler) + len(d.yapilar) + len(d.adresler)
            + sum(len(a.bolumler) for a in d.adresler) + len(d.features) + len(d.assets))
