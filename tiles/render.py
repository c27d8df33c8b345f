"""Drawing Mapnik maps: loading a map's XML once per thread, rendering a box, cutting metatiles.

Loading a map (parsing XML, opening datasources) costs more than drawing a z16 tile, so each
thread keeps the maps it loaded, keyed by their XML: a changed registry gives a new XML, and
so a new map, in every worker alike. mapnik.Map is not thread-safe, hence per thread."""

import threading
from collections import OrderedDict

from geo.mapnik_env import mapnik

from .grid import Metatile

TILE_PX = 256
PNG_FORMAT = "png8:m=h:z=1"  # 256 colours, fast zlib: small tiles, quick to encode
MAX_MAPS_PER_THREAD = 16

_local = threading.local()


def _map_for(xml: str, width: int, height: int) -> "mapnik.Map":
    maps: OrderedDict[str, mapnik.Map] = getattr(_local, "maps", None) or OrderedDict()
    _local.maps = maps
    m = maps.get(xml)
    if m is None:
        m = mapnik.Map(width, height)
        mapnik.load_map_from_string(m, xml)
        maps[xml] = m
        while len(maps) > MAX_MAPS_PER_THREAD:
            maps.popitem(last=False)
    else:
        maps.move_to_end(xml)
    m.resize(width, height)
    return m


def render_image(xml: str, bbox: tuple[float, float, float, float], width: int, height: int,
                 scale: float = 1.0) -> "mapnik.Image":
    """Draw `bbox` (in the map's srs) into a width x height image; scale > 1 for high-DPI tiles."""
    m = _map_for(xml, width, height)
    m.zoom_to_box(mapnik.Box2d(*bbox))
    image = mapnik.Image(width, height)
    mapnik.render(m, image, scale)
    return image


def encode(image: "mapnik.Image", fmt: str = "png") -> bytes:
    return image.to_string(PNG_FORMAT if fmt == "png" else fmt)


def render_metatile(xml: str, meta: Metatile, scale: float = 1.0) -> dict[tuple[int, int, int], bytes]:
    """Render a metatile in one pass and cut it: {(z, x, y): PNG bytes}."""
    tile = int(TILE_PX * scale)
    size = tile * meta.span
    image = render_image(xml, meta.bounds(), size, size, scale)
    out = {}
    for x, y in meta.tiles():
        view = image.view((x - meta.x) * tile, (y - meta.y) * tile, tile, tile)
        out[(meta.z, x, y)] = view.to_string(PNG_FORMAT)
    return out
