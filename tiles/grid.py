"""The Web Mercator tile grid (Google/OSM XYZ, origin top-left): addresses, bounds, metatiles.

Every tile endpoint validates its address here first, so a bad z/x/y is a clear 400 before any
query or render runs."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from geo.errors import KentError

MAX_ZOOM = 22
HALF_WORLD = 20037508.342789244  # metres, half the EPSG:3857 world width
MAX_LAT = 85.0511287798066


class BadTileAddress(KentError):
    """A z/x/y outside the grid: the caller's mistake, 400."""

    code = "InvalidParameterValue"


def check_tile(z: int, x: int, y: int) -> None:
    """Refuse zooms above MAX_ZOOM and columns/rows outside the zoom's 2^z range."""
    if not 0 <= z <= MAX_ZOOM:
        raise BadTileAddress(
            _("Yakınlaştırma düzeyi 0 ile {max} arasında olmalı; {z} verildi. "
              "(Zoom must be between 0 and {max}.)").format(max=MAX_ZOOM, z=z), z=z)
    n = 1 << z
    if not (0 <= x < n and 0 <= y < n):
        raise BadTileAddress(
            _("{z}. düzeyde x ve y 0 ile {last} arasında olmalı; x={x}, y={y} verildi. "
              "(x and y must be between 0 and {last} at this zoom.)").format(z=z, last=n - 1, x=x, y=y),
            z=z, x=x, y=y)


def tile_bounds(z: int, x: int, y: int, span: int = 1) -> tuple[float, float, float, float]:
    """EPSG:3857 bounds (minx, miny, maxx, maxy) of the span x span block whose top-left tile is z/x/y."""
    size = 2 * HALF_WORLD / (1 << z)
    minx = -HALF_WORLD + x * size
    maxy = HALF_WORLD - y * size
    return minx, maxy - span * size, minx + span * size, maxy


def resolution(z: int, tile_px: int = 256) -> float:
    """Metres (EPSG:3857) per pixel at zoom z."""
    return 2 * HALF_WORLD / (tile_px << z)


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The tile holding a lon/lat point, clamped to the grid."""
    n = 1 << z
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    fx = (lon + 180.0) / 360.0 * n
    rad = math.radians(lat)
    fy = (1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * n
    return min(n - 1, max(0, int(fx))), min(n - 1, max(0, int(fy)))


def tile_range(bbox: tuple[float, float, float, float], z: int, margin_px: float = 0) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1), inclusive, of the tiles at zoom z touching a lon/lat bbox grown by
    `margin_px` pixels (labels and wide strokes reach past a feature's own bbox)."""
    minlon, minlat, maxlon, maxlat = bbox
    grow = margin_px * 360.0 / (256 << z)  # degrees of longitude per pixel, exact in Web Mercator
    x0, y0 = lonlat_to_tile(minlon - grow, maxlat, z)
    x1, y1 = lonlat_to_tile(maxlon + grow, minlat, z)
    # latitude: grow by whole tiles, since a pixel's latitude span depends on the latitude
    extra = math.ceil(margin_px / 256)
    n = 1 << z
    return x0, max(0, y0 - extra), x1, min(n - 1, y1 + extra)


@dataclass(frozen=True)
class Metatile:
    """A square block of tiles rendered in one go; `x`, `y` is its top-left tile."""

    z: int
    x: int
    y: int
    span: int

    @classmethod
    def of(cls, z: int, x: int, y: int, span: int) -> "Metatile":
        span = min(span, 1 << z)
        return cls(z, x - x % span, y - y % span, span)

    def bounds(self) -> tuple[float, float, float, float]:
        return tile_bounds(self.z, self.x, self.y, self.span)

    def tiles(self) -> list[tuple[int, int]]:
        """(x, y) of every tile in the block, row by row."""
        return [(self.x + i, self.y + j) for j in range(self.span) for i in range(self.span)]
