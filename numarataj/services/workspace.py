"""The part of an ilçe's register the numbering engine looks at, read once into the local metric
grid: streets, and the doors to number on each (existing addresses, buildings without one,
sites with one gate, plots that reserve numbers).

Assignment (which street a door belongs to):
- an existing address keeps its CSBM;
- a building without an address belongs to the CSBM nearest its footprint, if that is within
  STREET_TOLERANCE_M (60 m, the MAKS rule every address must meet); its door goes on the
  footprint's point nearest the street. Farther buildings are listed as unassigned;
- a building whose centre lies in a Site is numbered through the site's gate, which belongs to
  the site's CSBM or the one nearest the gate;
- a plot (Arsa) without a building's centre inside it is a door that reserves numbers; a plot
  with a building on it reserves nothing."""

from dataclasses import dataclass, field

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q
from shapely import STRtree
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from numarataj.models import Adres, Arsa, Csbm, Ilce, Site

from .axis import street_axis
from .conformance import yapilar_of
from .geometry import many_to_local, to_local
from .rules import STREET_TOLERANCE_M

NEAR_DEGREES = 0.0012  # a search box around a street: > 60 m in both axes at Turkey's latitudes


@dataclass(eq=False)
class Door:
    """One thing that takes a number on a street: an address, a building still without one, a
    site's gate (its buildings are `members`) or a plot that reserves `reserve` numbers."""

    point: Point  # the entrance, local grid
    csbm_id: int | None = None
    yapi_id: int | None = None
    adres_id: int | None = None
    arsa_id: int | None = None
    site_id: int | None = None
    current: str = ""
    reserve: int = 1
    members: list["Door"] = field(default_factory=list)
    inward: Point | None = None  # for a site: a point inside it, to tell the gate's left
    side: int = 0
    station: float = 0.0
    offset: float = 0.0
    labels: list[str] = field(default_factory=list)


@dataclass
class Street:
    csbm: Csbm
    geom: BaseGeometry  # the centreline as drawn, local grid: distances are measured to it
    line: LineString  # its walking axis (services/axis.py), not yet oriented
    doors: list[Door] = field(default_factory=list)


class Workspace:
    """Streets of `ilce` and their doors; with `near`, only the register around that geometry
    (plus every address on `street_id`) is read, which is what one street or one infill needs."""

    def __init__(self, ilce: Ilce, *, near: GEOSGeometry | None = None, street_id: int | None = None) -> None:
        self.ilce = ilce
        csbms = list(Csbm.objects.filter(ilce=ilce).order_by("pk"))
        geoms = many_to_local([c.geom for c in csbms])
        self.streets: dict[int, Street] = {c.pk: Street(c, g, street_axis(g)) for c, g in zip(csbms, geoms,
                                                                                              strict=True)}
        self.street_ids = [c.pk for c in csbms]
        self.tree = STRtree(geoms) if len(geoms) else None
        centre = ilce.direction_centre()
        self.centre: Point | None = to_local(centre) if centre is not None else None
        self.unassigned: list[int] = []  # buildings with no street within tolerance
        self.site_of_yapi: dict[int, Door] = {}
        area = near.buffer(NEAR_DEGREES) if near is not None else None
        self._load(area, street_id)

    # ---- reading ---------------------------------------------------------------------------
    def _load(self, area: GEOSGeometry | None, street_id: int | None) -> None:
        own = Q(csbm__ilce=self.ilce) | Q(mahalle__ilce=self.ilce)
        yq, sq, pq = yapilar_of(self.ilce), Site.objects.filter(own), Arsa.objects.filter(own)
        # ids, not joins: an OR over joined tables made PostgreSQL read every door of the city (2 s at 1M)
        mahalle_ids = list(self.ilce.mahalleler.values_list("pk", flat=True))
        aq = Adres.objects.filter(Q(csbm_id__in=self.street_ids) | Q(mahalle_id__in=mahalle_ids)
                                  | Q(yapi_id__in=list(yq.values_list("pk", flat=True))))
        if area is not None:
            sq, pq = sq.filter(geom__intersects=area), pq.filter(geom__intersects=area)
            near = Q(geom__intersects=area)
            for site in sq:  # a site's buildings may lie deep inside it, far from the street
                near |= Q(geom__intersects=site.geom)
            yq, aq = yq.filter(near), aq.filter(near | Q(csbm_id=street_id))
        yapilar = list(yq.values_list("pk", "geom"))
        adresler = list(aq.distinct().values_list("pk", "csbm_id", "yapi_id", "kapi_no", "geom"))
        sites, arsalar = list(sq), list(pq)

        footprints = many_to_local([g for _, g in yapilar])
        centres = shapely.point_on_surface(footprints) if len(footprints) else footprints
        yapi_ids = [pk for pk, _ in yapilar]
        site_doors = self._sites(sites, yapi_ids, centres)
        free_plots = self._free_plots(arsalar, centres)

        need_street: list[tuple[Door, BaseGeometry]] = []
        addressed: set[int] = set()
        for (pk, csbm_id, yapi_id, kapi_no, _), pt in zip(adresler, many_to_local([a[4] for a in adresler]),
                                                           strict=True):
            addressed.add(yapi_id)
            door = Door(pt, csbm_id=csbm_id, yapi_id=yapi_id, adres_id=pk, current=kapi_no)
            if yapi_id in self.site_of_yapi:
                self.site_of_yapi[yapi_id].members.append(door)
            elif csbm_id in self.streets:
                self.streets[csbm_id].doors.append(door)
            elif csbm_id is None:
                need_street.append((door, pt))
        for pk, fp, centre in zip(yapi_ids, footprints, centres, strict=True):
            if pk in addressed:
                continue
            if pk in self.site_of_yapi:
                site = self.site_of_yapi[pk]
                entrance = Point(shapely.shortest_line(fp, site.point).coords[0])
                site.members.append(Door(entrance, yapi_id=pk, inward=centre))
            else:
                need_street.append((Door(centre, yapi_id=pk), fp))
        gates = [(d, d.point) for d in site_doors if d.members]  # a site with no building yet takes no number
        for door, geom in gates + [(d, d.inward) for d in free_plots]:
            if door.csbm_id in self.streets:
                self.streets[door.csbm_id].doors.append(door)
            else:
                need_street.append((door, geom))
        self._assign(need_street)

    def _sites(self, sites: list[Site], yapi_ids: list[int], centres: np.ndarray) -> list[Door]:
        doors = []
        polys = many_to_local([s.geom for s in sites])
        gates = many_to_local([s.giris for s in sites])
        for s, poly, gate in zip(sites, polys, gates, strict=True):
            doors.append(Door(gate, csbm_id=s.csbm_id, site_id=s.pk, inward=poly.representative_point()))
        if doors and len(centres):
            inside, which = STRtree(polys).query(centres, predicate="within")
            for i, j in zip(inside, which, strict=True):
                self.site_of_yapi[yapi_ids[i]] = doors[j]
        return doors

    def _free_plots(self, arsalar: list[Arsa], centres: np.ndarray) -> list[Door]:
        polys = many_to_local([a.geom for a in arsalar])
        built: set[int] = set()
        if len(polys) and len(centres):
            built = set(STRtree(polys).query(centres, predicate="within")[1].tolist())
        return [Door(p.representative_point(), csbm_id=a.csbm_id, arsa_id=a.pk, current=a.ayrilan_nolar,
                     reserve=max(1, a.ayrilacak_adet), inward=p.representative_point())
                for i, (a, p) in enumerate(zip(arsalar, polys, strict=True)) if i not in built]

    def _assign(self, free: list[tuple[Door, BaseGeometry]]) -> None:
        """Doors without a CSBM go to the street nearest their geometry, within tolerance."""
        if not free or self.tree is None:
            self.unassigned += [d.yapi_id for d, _ in free if d.yapi_id]
            return
        geoms = np.array([g for _, g in free], dtype=object)
        src, dst = self.tree.query_nearest(geoms, max_distance=STREET_TOLERANCE_M, all_matches=False)
        matched = dict(zip(src.tolist(), dst.tolist(), strict=True))
        for i, (door, geom) in enumerate(free):
            if i not in matched:
                if door.yapi_id:
                    self.unassigned.append(door.yapi_id)
                continue
            street = self.streets[self.street_ids[matched[i]]]
            door.csbm_id = street.csbm.pk
            if door.yapi_id and not door.adres_id:  # a new door: on the footprint, facing the street
                door.point = Point(shapely.shortest_line(geom, street.geom).coords[0])
            street.doors.append(door)

    # ---- questions the engine asks ---------------------------------------------------------
    def junction_rank(self, point: Point, own_id: int, ranks: dict[str, int], tolerance: float) -> int:
        """The highest rank among other streets meeting `point` (0 when none does)."""
        if self.tree is None:
            return 0
        near = self.tree.query(point, predicate="dwithin", distance=tolerance)
        return max((ranks.get(self.streets[self.street_ids[i]].csbm.tur, 0) for i in near
                    if self.street_ids[i] != own_id), default=0)

    def door_of_yapi(self, yapi_id: int) -> tuple[Street, Door] | None:
        for street in self.streets.values():
            for door in street.doors:
                if door.yapi_id == yapi_id or any(m.yapi_id == yapi_id for m in door.members):
                    return street, door
        return None

    def numbers_on(self, csbm_id: int) -> set[str]:
        """Every number in use on a street: doors and reserved plot numbers."""
        used = set(Adres.objects.filter(csbm_id=csbm_id).exclude(kapi_no="").values_list("kapi_no", flat=True))
        for nolar in Arsa.objects.filter(csbm_id=csbm_id).exclude(ayrilan_nolar="").values_list("ayrilan_nolar",
                                                                                                flat=True):
            used.update(n.strip() for n in nolar.split(","))
        return {n.upper() for n in used}

