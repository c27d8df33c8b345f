"""A synthetic metropolitan register for measuring Kent at city scale (manage.py build_city).

The tile is a real district (city_template, from ../shared/data at run time). Copies of it are
laid on a grid, TILES_PER_ILCE (3 x 2) to an ilçe, ilçe blocks side by side east and north of
ORIGIN; each copy is turned by a few degrees and nudged (seeded), and its mahalleler and streets
get names of their own (city_names), unique within the ilçe. The last copy is partial, so the
city has exactly the buildings asked for. No official code (UAVT, MAKS) is invented: they stay
empty, as for any door still awaiting registration.

The copies are affine images of the tile in a local equirectangular frame (x scaled by cos φ):
a turn there keeps shapes and distances, so every door stays as near its street as in the tile.
The same six numbers move a geometry in shapely here and in PostGIS (ST_Affine) in city_writer."""

import math
import random
from dataclasses import dataclass

from .city_names import IlceNames, ilce_names
from .city_template import Template

ORIGIN = (33.0, 39.45)  # lon, lat of the south-west corner: east of Ankara, clear of the demo and OSM data
TILES_X, TILES_Y = 3, 2  # tiles per ilçe, west-east and south-north
TILES_PER_ILCE = TILES_X * TILES_Y
GAP = (0.003, 0.0025)  # degrees between tiles (~250 m): turned copies never overlap
MAX_TURN_DEG, MAX_NUDGE = 3.0, 0.0005


@dataclass
class Tile:
    n: int  # position in the city
    ilce: int
    buildings: int  # the first `buildings` of the template's (west-to-east) order
    affine: tuple[float, float, float, float, float, float]  # ST_Affine's a, b, d, e, xoff, yoff
    mahalle_names: list[str]
    street_names: list[tuple[str, int | None]]  # (ad, numara), one per template street


@dataclass
class CityPlan:
    il_ad: str
    il_plaka: int
    ilce_names: list[str]
    tiles: list[Tile]


def _affine(template: Template, turn_deg: float, dlon: float, dlat: float) -> tuple[float, ...]:
    """Turn by `turn_deg` about the tile's centre in the local frame, then move by (dlon, dlat)."""
    x0, y0, x1, y1 = template.frame
    lon0, lat0 = (x0 + x1) / 2, (y0 + y1) / 2
    k = math.cos(math.radians(lat0))
    c, s = math.cos(math.radians(turn_deg)), math.sin(math.radians(turn_deg))
    a, b, d, e = c, -s / k, k * s, c
    return a, b, d, e, lon0 + dlon - a * lon0 - b * lat0, lat0 + dlat - d * lon0 - e * lat0


def plan_city(template: Template, buildings: int, seed: int) -> CityPlan:
    """Where each copy goes and what its places are called; same inputs, same plan."""
    rng = random.Random(seed)
    per_tile = len(template.buildings)
    n_tiles = max(1, math.ceil(buildings / per_tile))
    n_ilce = math.ceil(n_tiles / TILES_PER_ILCE)
    x0, y0, x1, y1 = template.frame
    pitch_x, pitch_y = (x1 - x0) + GAP[0], (y1 - y0) + GAP[1]
    blocks_x = max(1, round(math.sqrt(n_ilce * TILES_Y * pitch_y / (TILES_X * pitch_x))))
    names = ilce_names(random.Random(f"{seed}-ilce"))  # its own stream: copy k is placed alike at every size
    ilceler = [next(names) for _ in range(n_ilce)]
    tiles: list[Tile] = []
    namers: dict[int, IlceNames] = {}
    for t in range(n_tiles):
        ilce, k = divmod(t, TILES_PER_ILCE)
        bx, by = ilce % blocks_x, ilce // blocks_x
        gx, gy = bx * TILES_X + k % TILES_X, by * TILES_Y + k // TILES_X
        dlon = ORIGIN[0] + gx * pitch_x - x0 + rng.uniform(-MAX_NUDGE, MAX_NUDGE)
        dlat = ORIGIN[1] + gy * pitch_y - y0 + rng.uniform(-MAX_NUDGE, MAX_NUDGE)
        namer = namers.setdefault(ilce, IlceNames(random.Random(f"{seed}-{ilce}")))
        tiles.append(Tile(
            n=t, ilce=ilce, buildings=min(per_tile, buildings - t * per_tile),
            affine=_affine(template, rng.uniform(-MAX_TURN_DEG, MAX_TURN_DEG), dlon, dlat),
            mahalle_names=[namer.mahalle() for _ in template.mahalleler],
            street_names=[(("", namer.number(s.tur)) if s.numbered else (namer.street(s.tur), None))
                          for s in template.streets]))
    return CityPlan(il_ad="Ankara", il_plaka=6, ilce_names=ilceler, tiles=tiles)
