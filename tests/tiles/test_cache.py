"""The disk tile cache: an edit's bbox clears every zoom, nothing else; stale renders withdraw."""

import time
from pathlib import Path

import pytest

from tiles import cache, grid
from tiles.signals import change_bbox

from .conftest import lonlat


@pytest.fixture
def root(settings, tmp_path) -> Path:
    settings.KENT_TILE_CACHE = str(tmp_path / "cache")
    return tmp_path / "cache"


def _fill(tileset: str, lon: float, lat: float, zooms: range) -> dict[int, tuple[int, int]]:
    where = {}
    for z in zooms:
        x, y = grid.lonlat_to_tile(lon, lat, z)
        cache.put_many(tileset, "png", {(z, x, y): b"tile"}, started=time.time())
        where[z] = (x, y)
    return where


def test_invalidation_clears_every_zoom_of_the_bbox_only(root):
    here, far = lonlat(100, 100), lonlat(5000, 5000)
    near = _fill("basemap", *here, range(0, 23))
    away = _fill("basemap", *far, range(14, 23))
    other = _fill("mvt/okullar", *here, range(10, 12))
    removed = cache.invalidate_bbox((*here, *here), ["basemap"])
    assert removed >= 23
    assert all(cache.get("basemap", z, *near[z], "png") is None for z in near)
    assert all(cache.get("basemap", z, *away[z], "png") == b"tile" for z in range(16, 23))  # 5 km off
    assert all(cache.get("mvt/okullar", z, *other[z], "png") == b"tile" for z in other)  # another tileset


def test_a_render_older_than_the_edit_is_withdrawn(root):
    started = time.time()
    time.sleep(0.01)
    lon, lat = lonlat(0, 0)
    z, (x, y) = 16, grid.lonlat_to_tile(lon, lat, 16)
    cache.put_many("basemap", "png", {(z, x, y): b"fresh"}, started=time.time())
    cache.invalidate_bbox((lon, lat, lon, lat), ["basemap"])  # an edit lands while a render runs
    cache.put_many("basemap", "png", {(z, x, y): b"stale"}, started=started)
    assert cache.get("basemap", z, x, y, "png") is None
    cache.put_many("basemap", "png", {(z, x, y): b"new"}, started=time.time())
    assert cache.get("basemap", z, x, y, "png") == b"new"


def test_clear_and_empty_tiles(root):
    cache.put_many("layers/parklar", "png", {(3, 1, 1): b""}, started=time.time())
    assert cache.get("layers/parklar", 3, 1, 1, "png") == b""  # an empty tile is a hit, not a miss
    cache.clear("layers/parklar")
    assert cache.get("layers/parklar", 3, 1, 1, "png") is None


def test_change_bbox_reads_before_and_after():
    class Change:
        before = {"geom": {"type": "Point", "coordinates": [32.8, 39.9]}, "ad": "x"}
        after = {"geom": {"type": "Polygon", "coordinates": [[[32.9, 40.0], [33.0, 40.0], [33.0, 40.1],
                                                               [32.9, 40.0]]]}}

    assert change_bbox(Change) == (32.8, 39.9, 33.0, 40.1)
    Change.before, Change.after = {"ad": "x"}, None
    assert change_bbox(Change) is None


@pytest.mark.django_db
def test_an_import_clears_the_cached_tiles_of_its_area(root, tmp_path, django_capture_on_commit_callbacks):
    """Imports write their history in bulk (no post_save); the tile cache must hear them all the same."""
    import json

    from geo.models import Layer
    from geo.services.importer import import_file

    layer = Layer.objects.create(slug="noktalar", title_tr="Noktalar", theme_id="AY", geometry_family="point",
                                 access_level="public")
    lon, lat = lonlat(200, 200)
    z, (x, y) = 16, grid.lonlat_to_tile(lon, lat, 16)
    cache.put_many("basemap", "png", {(z, x, y): b"old"}, started=time.time())
    source = tmp_path / "noktalar.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}]}))
    with django_capture_on_commit_callbacks(execute=True):
        import_file(source, layer, user=None)
    assert cache.get("basemap", z, x, y, "png") is None
