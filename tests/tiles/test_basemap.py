"""The Mapnik base map and registry-styled raster tiles: sizes, metatiles on disk, registry styles,
and an edit showing on the very next tile (the cache is dropped for the edit's bbox)."""

import io
from pathlib import Path

import requests
from django.conf import settings
from PIL import Image

from geo.services.features import create_feature, update_feature

from .conftest import PARK_FILL, box, close, live_data, pixel_of, png, tile_at


@live_data
def test_basemap_tiles_metatiles_and_retina(district, live_url):
    z, x, y = tile_at(250, 300, 16)
    tile = png(live_url(f"/tiles/basemap/{z}/{x}/{y}.png"))
    assert tile.size == (256, 256)
    assert len(set(tile.get_flattened_data())) > 8  # streets, buildings, land: a drawn map, not a flat colour
    cached = list((Path(settings.KENT_TILE_CACHE) / "basemap" / str(z)).glob("*/*.png"))
    assert len(cached) == 64  # the whole 8 x 8 metatile was cut and stored
    retina = png(live_url(f"/tiles/basemap/{z}/{x}/{y}@2x.png"))
    assert retina.size == (512, 512)
    assert requests.get(live_url("/tiles/basemap/23/0/0.png"), timeout=30).status_code == 400


@live_data
def test_an_edit_shows_on_the_next_basemap_and_vector_tile(district, live_url):
    z, x, y = tile_at(120, 550, 17)
    url = live_url(f"/tiles/basemap/{z}/{x}/{y}.png")
    px = pixel_of(70, 525, z, x, y)  # inside the new park, clear of its centred label
    before = png(url)
    assert not close(before.getpixel(px), PARK_FILL)
    assert requests.get(live_url(f"/tiles/parklar/{z}/{x}/{y}.mvt"), timeout=30).status_code == 204

    park, _ = create_feature(district.layers["parklar"], box(40, 510, 200, 590), {"ad": "Yeni Park"},
                             user=district.admin)
    after = png(url)
    assert close(after.getpixel(px), PARK_FILL), after.getpixel(px)
    changed = sum(1 for a, b in zip(before.get_flattened_data(), after.get_flattened_data(), strict=True) if a != b)
    assert changed > 1000  # the park's area, not a stray pixel
    mvt = requests.get(live_url(f"/tiles/parklar/{z}/{x}/{y}.mvt"), timeout=30)
    assert mvt.status_code == 200 and b"Yeni Park" in mvt.content

    # moving it away clears the old place too: the 'before' geometry's bbox is invalidated
    update_feature(park.pk, district.layers["parklar"], expected_version=park.version, user=district.admin,
                   geom=box(560, 40, 700, 120))
    moved = png(url)
    assert not close(moved.getpixel(px), PARK_FILL)
    assert requests.get(live_url(f"/tiles/parklar/{z}/{x}/{y}.mvt"), timeout=30).status_code == 204


@live_data
def test_layer_tiles_use_the_registry_style(district, live_url):
    z, x, y = tile_at(640, 460, 17)
    tile = Image.open(io.BytesIO(requests.get(live_url(f"/tiles/layers/parklar/{z}/{x}/{y}.png"),
                                              timeout=60).content)).convert("RGBA")
    assert close(tile.getpixel(pixel_of(640, 460, z, x, y)), (0x2F, 0x9E, 0x44, 255))  # style fill, opaque
    corner = pixel_of(450, 100, z, x, y)
    if 0 <= corner[0] < 256 and 0 <= corner[1] < 256:
        assert tile.getpixel(corner)[3] == 0  # transparent away from the park
    district.layers["parklar"].style = {"fill": "#1864ab", "fill_opacity": 1.0}
    district.layers["parklar"].save()  # a style change drops the layer's drawn tiles
    restyled = Image.open(io.BytesIO(requests.get(live_url(f"/tiles/layers/parklar/{z}/{x}/{y}@2x.png"),
                                                  timeout=60).content)).convert("RGBA")
    assert restyled.size == (512, 512)
    assert close(restyled.getpixel(pixel_of(640, 460, z, x, y, 512)), (0x18, 0x64, 0xAB, 255))
    again = Image.open(io.BytesIO(requests.get(live_url(f"/tiles/layers/parklar/{z}/{x}/{y}.png"),
                                               timeout=60).content)).convert("RGBA")
    assert close(again.getpixel(pixel_of(640, 460, z, x, y)), (0x18, 0x64, 0xAB, 255))


@live_data
def test_hidden_layers_have_no_raster_tiles(district, live_url):
    z, x, y = tile_at(300, 150, 16)
    assert requests.get(live_url(f"/tiles/layers/afet-noktalari/{z}/{x}/{y}.png"), timeout=30).status_code == 401
    assert requests.get(live_url(f"/tiles/layers/yok/{z}/{x}/{y}.png"), timeout=30).status_code == 404
