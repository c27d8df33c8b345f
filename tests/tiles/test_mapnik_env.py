"""Importing Mapnik must not break GeoDjango, pyproj or rasterio (the wheel repoints PROJ_LIB)."""

import os
import subprocess
import sys

SCRIPT = """
import os
before = {k: os.environ.get(k) for k in ("PROJ_LIB", "PROJ_DATA", "GDAL_DATA")}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")
import django
django.setup()
from geo.mapnik_env import mapnik
assert {k: os.environ.get(k) for k in before} == before, "PROJ/GDAL variables changed"
from django.contrib.gis.geos import Point
p = Point(32.85, 39.93, srid=4326); p.transform(5255); assert 480000 < p.x < 500000, p
from pyproj import Transformer
assert Transformer.from_crs(4326, 5255, always_xy=True).transform(32.85, 39.93)[0] > 480000
from rasterio.crs import CRS
assert CRS.from_epsg(5255).to_epsg() == 5255
t = mapnik.ProjTransform(mapnik.Projection("epsg:4326"), mapnik.Projection("epsg:5255"))
assert 480000 < t.forward(mapnik.Box2d(32.85, 39.93, 32.86, 39.94)).minx < 500000
print("ok")
"""


def test_mapnik_import_leaves_proj_alone():
    env = {k: v for k, v in os.environ.items() if k not in ("PROJ_LIB", "PROJ_DATA", "GDAL_DATA")}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
