"""Getting a tile: from the disk cache, else rendered (raster: a whole metatile) and cached.
Tileset names are in tilesets.py."""

import time
from collections.abc import Callable

from django.conf import settings

from geo.models import Layer

from . import cache
from .access import TILE_FIELDS
from .grid import Metatile, check_tile
from .mvt import render_mvt
from .render import render_metatile
from .tilesets import mvt_tileset

META_PX = 2048  # a metatile is 2048 px square: 8 x 8 tiles of 256 px, 4 x 4 of 512 px (@2x)


def raster_tile(tileset: str, xml: Callable[[], str], z: int, x: int, y: int, scale: int = 1) -> bytes:
    """A PNG tile: cached, or its metatile rendered once (other workers wait on the lock)."""
    check_tile(z, x, y)
    data = cache.get(tileset, z, x, y, "png")
    if data is not None:
        return data
    meta = Metatile.of(z, x, y, getattr(settings, "KENT_TILE_META_PX", META_PX) // (256 * scale))
    with cache.render_lock(tileset, f"{z}-{meta.x}-{meta.y}"):
        data = cache.get(tileset, z, x, y, "png")
        if data is not None:
            return data
        started = time.time()
        tiles = render_metatile(xml(), meta, scale)
        cache.put_many(tileset, "png", tiles, started=started)
    return tiles[(z, x, y)]


def vector_tile(layer: Layer, z: int, x: int, y: int) -> bytes | None:
    """A layer's MVT bytes or None when empty; cached unless KENT_TILE_CACHE_MVT is off."""
    check_tile(z, x, y)
    use_cache = getattr(settings, "KENT_TILE_CACHE_MVT", True)
    tileset = mvt_tileset(layer.slug)
    if use_cache:
        data = cache.get(tileset, z, x, y, "mvt")
        if data is not None:
            return data or None
    started = time.time()
    deferred = layer.get_deferred_fields() & TILE_FIELDS
    if deferred:  # a layer made from a snapshot (OGC API Tiles): what the SQL reads, in one query
        layer.refresh_from_db(fields=sorted(deferred))
    data = render_mvt(layer, z, x, y)
    if use_cache:
        cache.put_many(tileset, "mvt", {(z, x, y): data or b""}, started=started)
    return data
