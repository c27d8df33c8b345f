"""WMS 1.3.0 read by independent clients (GDAL's WMS driver, OWSLib) and refused properly."""

import io
import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
import requests
from owslib.wms import WebMapService
from PIL import Image
from pyproj import Transformer

from .conftest import live_data, lonlat

OGC = "{http://www.opengis.net/ogc}"


def _bbox_3857(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    to3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    (ax, ay), (bx, by) = (to3857.transform(*lonlat(x0, y0)), to3857.transform(*lonlat(x1, y1)))
    return ax, ay, bx, by


def _painted(png: bytes) -> int:
    """How many distinct colours an image holds (a blank one holds one)."""
    return len(set(Image.open(io.BytesIO(png)).convert("RGBA").get_flattened_data()))


@live_data
def test_gdal_wms_driver_reads_the_basemap(district, live_url, tmp_path):
    minx, miny, maxx, maxy = _bbox_3857(0, 0, 1000, 600)
    source = (f"WMS:{live_url('/wms')}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=basemap"
              f"&CRS=EPSG:3857&BBOX={minx},{miny},{maxx},{maxy}&FORMAT=image/png")
    info = subprocess.run(["gdalinfo", source], capture_output=True, text=True, check=True).stdout
    assert "Driver: WMS/OGC Web Map Service" in info and "Pseudo-Mercator" in info
    out = tmp_path / "wms.png"
    subprocess.run(["gdal_translate", "-q", "-of", "PNG", "-outsize", "600", "0", source, str(out)], check=True)
    image = Image.open(out)
    assert image.size[0] == 600 and _painted(out.read_bytes()) > 8


@live_data
def test_owslib_reads_capabilities_and_gets_maps(district, live_url):
    wms = WebMapService(live_url("/wms"), version="1.3.0")
    names = set(wms.contents)
    assert {"basemap", "yapilar", "parklar", "okullar", "csbm", "mahalleler"} <= names
    assert not names & {"afet-noktalari", "ic-katman", "taslak"}  # only public, published layers
    assert {"EPSG:3857", "EPSG:4326", "EPSG:5255"} <= set(wms["yapilar"].crsOptions)
    assert wms["yapilar"].queryable == 1 and wms["basemap"].queryable == 0
    west, south, east, north = wms["yapilar"].boundingBoxWGS84
    (w, s), (e, n) = lonlat(0, 0), lonlat(1000, 600)
    assert abs(west - w) < 2e-3 and abs(north - n) < 2e-3 and east > west and north > south
    # OWSLib takes lon/lat and writes the 1.3.0 lat/lon order for EPSG:4326 itself
    img = wms.getmap(layers=["basemap", "yapilar"], styles=["", ""], srs="EPSG:4326",
                     bbox=(w, s, e, n), size=(500, 300), format="image/png")
    assert _painted(img.read()) > 8
    local = Transformer.from_crs(4326, 5255, always_xy=True)
    (lx0, ly0), (lx1, ly1) = local.transform(w, s), local.transform(e, n)
    img = wms.getmap(layers=["yapilar"], srs="EPSG:5255", bbox=(lx0, ly0, lx1, ly1), size=(500, 300),
                     format="image/png", transparent=True)
    assert _painted(img.read()) > 2


@live_data
def test_epsg4326_axis_order_is_lat_lon(district, live_url):
    (w, s), (e, n) = lonlat(0, 0), lonlat(1000, 600)
    base = live_url("/wms") + "?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=yapilar&STYLES=&CRS=EPSG:4326" \
                              "&WIDTH=300&HEIGHT=200&FORMAT=image/png&TRANSPARENT=TRUE"
    latlon = requests.get(f"{base}&BBOX={s},{w},{n},{e}", timeout=60)
    lonlat_order = requests.get(f"{base}&BBOX={w},{s},{e},{n}", timeout=60)
    assert latlon.status_code == lonlat_order.status_code == 200
    assert _painted(latlon.content) > 2 and _painted(lonlat_order.content) == 1  # swapped: empty sea


@live_data
def test_get_feature_info(district, live_url):
    wms = WebMapService(live_url("/wms"), version="1.3.0")
    bbox = _bbox_3857(0, 0, 1000, 600)
    size = (1000, 600)  # ~1 m a pixel: building 0 spans local x 40..60, y 60..80
    px = (50, 600 - 70)
    r = wms.getfeatureinfo(layers=["yapilar"], query_layers=["yapilar"], srs="EPSG:3857", bbox=bbox, size=size,
                           info_format="application/json", xy=px, feature_count=5)
    features = json.loads(r.read())["features"]
    assert [f["properties"]["ad"] for f in features] == ["Alfa Apartmanı 0"]
    assert features[0]["layer"] == "yapilar" and features[0]["geometry"]["type"] == "MultiPolygon"
    r = wms.getfeatureinfo(layers=["yapilar"], query_layers=["yapilar"], srs="EPSG:3857", bbox=bbox, size=size,
                           info_format="text/plain", xy=px)
    assert "yapilar #" in r.read().decode()


@pytest.mark.parametrize(("query", "code"), [
    ("REQUEST=GetMap&LAYERS=yok&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png", "LayerNotDefined"),
    ("REQUEST=GetMap&LAYERS=afet-noktalari&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png",
     "LayerNotDefined"),
    ("REQUEST=GetMap&LAYERS=basemap&CRS=EPSG:9999&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png", "InvalidCRS"),
    ("REQUEST=GetMap&LAYERS=basemap&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/gif", "InvalidFormat"),
    ("REQUEST=GetMap&LAYERS=basemap&CRS=EPSG:3857&WIDTH=10&HEIGHT=10&FORMAT=image/png", "MissingParameterValue"),
    ("REQUEST=GetMap&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png", "MissingParameterValue"),
    ("REQUEST=GetMap&LAYERS=basemap&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=5000&HEIGHT=10&FORMAT=image/png",
     "InvalidParameterValue"),
    ("REQUEST=GetMap&LAYERS=basemap&CRS=EPSG:3857&BBOX=1,0,0,1&WIDTH=10&HEIGHT=10&FORMAT=image/png",
     "InvalidParameterValue"),
    ("REQUEST=GetFeatureInfo&LAYERS=basemap&QUERY_LAYERS=basemap&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10"
     "&I=1&J=1", "LayerNotQueryable"),
    ("REQUEST=GetFeatureInfo&LAYERS=yapilar&QUERY_LAYERS=yapilar&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10"
     "&I=50&J=1", "InvalidPoint"),
    ("REQUEST=GetLegend", "OperationNotSupported"),
    ("", "MissingParameterValue"),
])
@pytest.mark.django_db
def test_service_exceptions(district, client, query, code):
    response = client.get(f"/wms?SERVICE=WMS&VERSION=1.3.0&{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/xml")
    exc = ET.fromstring(response.content).find(f"{OGC}ServiceException")
    assert exc.get("code") == code and exc.text
