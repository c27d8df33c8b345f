"""Imagery: the shared Sentinel-2 NDVI GeoTIFF becomes a valid COG, registered with its
attribution, and its tiles over Ankara render (PNG and WebP).

The shared file's three Float32 bands are not NDVI values: they hold the colours of the usual
Sentinel-2 NDVI visualisation (21 classes, 0..1 RGB). Kent shows them as RGB. The NDVI colour
ramp is for single-band NDVI rasters; the last test makes one from the same file by mapping
each class colour back to its NDVI class and checks the ramp on it."""

import io

import numpy as np
import pytest
import rasterio
from django.core.management import call_command
from django.test import Client
from PIL import Image

from tiles import grid
from tiles.models import Imagery

NDVI_FILE = "ankara-sentinel2-ndvi-2025-05-15.tif"
ATTRIBUTION = "contains modified Copernicus Sentinel data 2025"
ANKARA = (32.82, 39.93)  # Bahçelievler, inside the image
# Class colours of the shared file's NDVI visualisation -> the NDVI at the middle of each class
PALETTE_NDVI = {(0.05, 0.05, 0.05): -0.6, (0.75, 0.75, 0.75): -0.35, (0.86, 0.86, 0.86): -0.15,
                (0.92, 0.92, 0.92): -0.05, (1.0, 0.98, 0.8): 0.0125, (0.93, 0.91, 0.71): 0.0375,
                (0.87, 0.85, 0.61): 0.0625, (0.8, 0.78, 0.51): 0.0875, (0.74, 0.72, 0.42): 0.1125,
                (0.69, 0.76, 0.38): 0.1375, (0.64, 0.8, 0.35): 0.1625, (0.57, 0.75, 0.32): 0.1875,
                (0.5, 0.7, 0.28): 0.225, (0.44, 0.64, 0.25): 0.275, (0.38, 0.59, 0.21): 0.325,
                (0.31, 0.54, 0.18): 0.375, (0.25, 0.49, 0.14): 0.425, (0.19, 0.43, 0.11): 0.475,
                (0.13, 0.38, 0.07): 0.525, (0.06, 0.33, 0.04): 0.575, (0.0, 0.27, 0.0): 0.8}


@pytest.fixture
def ndvi(shared_data, tile_dirs, db) -> Imagery:
    call_command("import_imagery", str(shared_data / NDVI_FILE), slug="s2-ndvi", title="Sentinel-2 NDVI Ankara",
                 attribution=ATTRIBUTION, acquired="2025-05-15", licence="Copernicus: serbest ve açık")
    return Imagery.objects.get(slug="s2-ndvi")


def _tile(slug: str, z: int, fmt: str = "png", lonlat: tuple[float, float] = ANKARA):
    x, y = grid.lonlat_to_tile(*lonlat, z)
    return Client().get(f"/tiles/imagery/{slug}/{z}/{x}/{y}.{fmt}")


@pytest.mark.shared
def test_import_makes_a_valid_cog(ndvi):
    with rasterio.open(ndvi.path) as cog:
        assert cog.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert cog.profile["tiled"] and cog.block_shapes[0] == (256, 256)
        assert cog.overviews(1) == [2, 4, 8]
        assert cog.count == 3 and cog.crs.to_epsg() == 4326
    assert ndvi.attribution == ATTRIBUTION and ndvi.band_count == 3 and ndvi.width == 1113
    assert ndvi.rendering == {"mode": "rgb", "bands": [1, 2, 3], "range": [0.0, 1.0]}
    west, south, east, north = ndvi.bounds.extent
    assert west == pytest.approx(32.666, abs=1e-3) and north == pytest.approx(39.994, abs=1e-3)


@pytest.mark.shared
@pytest.mark.parametrize(("z", "covered"), [(10, 0.2), (13, 0.99), (16, 0.99)])  # a z10 tile is larger
def test_tiles_over_ankara_render(ndvi, z, covered):
    response = _tile("s2-ndvi", z)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Attribution"] == ATTRIBUTION
    image = Image.open(io.BytesIO(response.content))
    assert image.info.get("Copyright") == ATTRIBUTION  # carried in the file too
    rgba = np.asarray(image.convert("RGBA"))
    opaque = rgba[..., 3] == 255
    assert opaque.mean() >= covered  # not transparent over Ankara
    assert len(np.unique(rgba[opaque], axis=0)) > 10
    assert rgba[opaque][:, 1].mean() > rgba[opaque][:, 2].mean()  # NDVI classes run beige to green


@pytest.mark.shared
def test_webp_tilejson_and_outside(ndvi):
    webp = _tile("s2-ndvi", 12, "webp")
    assert webp.status_code == 200 and webp["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(webp.content)).format == "WEBP"
    info = Client().get("/tiles/imagery/s2-ndvi/tilejson.json").json()
    assert info["attribution"] == ATTRIBUTION and info["tiles"][0].endswith("/tiles/imagery/s2-ndvi/{z}/{x}/{y}.png")
    outside = _tile("s2-ndvi", 12, lonlat=(29.0, 41.0))  # Istanbul
    assert outside.status_code == 200
    assert np.asarray(Image.open(io.BytesIO(outside.content)).convert("RGBA"))[..., 3].max() == 0
    assert _tile("s2-ndvi", 40).status_code == 400
    assert _tile("yok", 12).status_code == 404


@pytest.mark.shared
def test_single_band_ndvi_gets_the_colour_ramp(shared_data, tile_dirs, db, tmp_path):
    with rasterio.open(shared_data / NDVI_FILE) as src:
        rgb = np.round(src.read(), 2)
        profile = {**src.profile, "count": 1}
    values = np.full(rgb.shape[1:], np.nan, dtype="float32")
    for colour, value in PALETTE_NDVI.items():
        values[np.all(np.abs(rgb - np.array(colour)[:, None, None]) < 0.006, axis=0)] = value
    assert np.isnan(values).mean() < 0.01
    single = tmp_path / "ndvi-values.tif"
    with rasterio.open(single, "w", **profile) as dst:
        dst.write(values, 1)
    call_command("import_imagery", str(single), slug="ndvi-degerleri", title="NDVI değerleri",
                 attribution=ATTRIBUTION)
    record = Imagery.objects.get(slug="ndvi-degerleri")
    assert record.rendering == {"mode": "ramp", "band": 1, "ramp": "ndvi", "range": [-1.0, 1.0]}
    rgba = np.asarray(Image.open(io.BytesIO(_tile("ndvi-degerleri", 13).content)).convert("RGBA"))
    assert rgba[..., 3].mean() > 250 and len(np.unique(rgba.reshape(-1, 4), axis=0)) > 10
    assert rgba[..., 1].mean() > rgba[..., 2].mean()
