"""The crawler the anonymous-crawl and leak tests share: every URL pattern of `kent.urls` (walked
recursively, so a new page or outlet is crawled without an edit), its path parameters filled with
real values, and every answer decoded to text whatever its format (HTML, JSON, MVT, GeoPackage,
zip, CSV). `crawl_world` is a fixture (registered in tests/conftest.py)."""

import gzip
import io
import itertools
import json
import math
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.urls import URLPattern, URLResolver

from geo.models import Feature, Layer, TucbsTheme

PUBLIC_MARKER = "ACIK-KAMU-5d1e"
AGENCY_MARKER = "GIZLI-AJANS-7f3a"
INTERNAL_MARKER = "GIZLI-IC-2b9c"
LON, LAT = 32.8205, 39.9305
ZOOM = 15
ANONYMOUS_OK = {200, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 410}
# Patterns an anonymous GET cannot meaningfully exercise, with the reason.
NOT_CRAWLED = {
    "accounts/reset/<uidb64>/<token>/": "needs a token mailed to a real user; a made-up one is only 'invalid link'",
}
# Query strings that make a pattern produce its other outputs (formats, searches, WMS requests).
QUERIES = {
    "geo-layer-export": ["", "?format=geojson", "?format=csv", "?format=gpkg", "?format=shp"],
    "ogc-items": ["", "?limit=1000", "?f=html&limit=1000", "?f=jsonld"],
    "ogc-item": ["", "?f=html"],
    "rehber-oner": ["?q=GIZLI", "?q=ACIK", "?q=eczane"],
    "rehber-burada": [f"?lat={LAT}&lon={LON}", f"?near={LAT},{LON}"],
    "tiles-wms": ["?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities",
                  *(f"?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS={s}&QUERY_LAYERS={s}&CRS=EPSG:4326"
                    f"&BBOX={LAT - .001},{LON - .001},{LAT + .001},{LON + .001}&WIDTH=101&HEIGHT=101&I=50&J=50"
                    "&INFO_FORMAT=application/json&FORMAT=image/png&STYLES="
                    for s in ("eczaneler", "kutuphaneler", "parklar"))],
    **{name: ["", "?f=html"] for name in ("ogc-collections", "ogc-collection", "ogc-queryables", "ogc-schema",
                                          "ogc-tilesets", "ogc-landing")},
    "ogc-openapi": ["?f=json"],
    "wfs": ["?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities",
            *(f"?SERVICE=WFS&VERSION=2.0.0&REQUEST={op}&TYPENAMES={s}{extra}"
              for s in ("eczaneler", "kutuphaneler", "parklar", "okullar", "yapilar")
              for op, extra in (("DescribeFeatureType", ""), ("GetFeature", ""),
                                ("GetFeature", "&OUTPUTFORMAT=application/json")))],
}


def tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@dataclass
class Crawl:
    values: dict[str, list[str]]
    per_name: dict[str, dict[str, list[str]]]


@pytest.fixture
def crawl_world(db) -> Crawl:
    """Three feature-store layers, one per access level, each feeding a guide category, with one
    feature whose name is the layer's marker."""
    from geo.tucbs_catalogue import THEMES
    from rehber.categories import categories

    for theme in THEMES:
        TucbsTheme.objects.update_or_create(code=theme["code"], defaults={
            k: theme[k] for k in ("name_tr", "name_en", "required_attributes")})
    schema = {"properties": {"ad": {"type": "string"}, "tur": {"type": "string"}}}
    ids: list[str] = []
    slugs = {"eczaneler": ("public", PUBLIC_MARKER), "kutuphaneler": ("agency", AGENCY_MARKER),
             "parklar": ("internal", INTERNAL_MARKER)}
    for i, (slug, (access, marker)) in enumerate(slugs.items()):
        layer = Layer.objects.create(slug=slug, title_tr=slug.title(), theme_id="AY", geometry_family="point",
                                     access_level=access, attribute_schema=schema, abstract=f"{slug} katmanı")
        feature = Feature.objects.create(layer=layer, geom=Point(LON + i * 1e-4, LAT, srid=4326),
                                         properties={"ad": marker, "tur": "müze"})
        ids.append(str(feature.pk))
    x, y = tile(LON, LAT, ZOOM)
    layer_slugs = list(slugs)
    return Crawl(
        values={"slug": layer_slugs, "z": [str(ZOOM)], "x": [str(x)], "y": [str(y)], "row": [str(y)],
                "col": [str(x)], "tms_id": ["WebMercatorQuad"], "identifier": ids, "pk": [*ids[:1], "1"],
                "change_id": ["1"], "ref": [f"f-{i}" for i in ids], "fmt": ["png", "pdf", "svg"],
                "asset_id": ["yok"], "type_name": ["kameralar", "otoparklar"], "kod": ["ABC123"],
                "kiosk_id": ["1", "meydan"], "adim": ["onay"], "object_id": ["1"], "content_type_id": ["1"],
                "id": ["1"], "uidb64": ["MQ"], "token": ["x"], "app_label": ["geo"], "url": ["yok/"]},
        per_name={"rehber-kategori": {"slug": [c.slug for c in categories()]},
                  "tiles-imagery": {"slug": ["yok"]}, "tiles-imagery-tilejson": {"slug": ["yok"]},
                  "tiles-imagery-webp": {"slug": ["yok"]}})


def patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every endpoint under `resolver`, routes written as in urls.py."""
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from patterns(p, route)
        else:
            yield route, p


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def urls(route: str, name: str | None, crawl: Crawl) -> list[str]:
    """Every URL of `route` with its parameters filled from the crawl's values."""
    names = [a or b for a, b in PARAM.findall(route)]
    choices = [crawl.per_name.get(name or "", {}).get(n) or crawl.values.get(n) or ["1"] for n in names]
    out = []
    for combo in itertools.product(*choices):
        values = iter(combo)
        path = PARAM.sub(lambda m, v=values: next(v), route).lstrip("^").rstrip("$")
        path = path.replace("\\.", ".")
        out += [f"/{path}{q}" for q in QUERIES.get(name or "", [""])]
    return out


def texts(response) -> str:
    """All the text a response carries, whatever its format."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return decode(body, response.get("Content-Type", ""))


def decode(body: bytes, content_type: str) -> str:
    if body[:2] == b"\x1f\x8b":
        return decode(gzip.decompress(body), content_type)
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(decode(z.read(n), "") for n in z.namelist())
    if body[:16] == b"SQLite format 3\x00":
        with tempfile.NamedTemporaryFile(suffix=".gpkg") as f:
            f.write(body)
            f.flush()
            con = sqlite3.connect(f.name)
            try:
                tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                rows = [repr(row) for t in tables for row in con.execute(f'SELECT * FROM "{t}"')]
            finally:
                con.close()
            return "\n".join(rows)
    if "vnd.mapbox-vector-tile" in content_type or content_type.endswith("x-protobuf"):
        return json.dumps(mapbox_vector_tile.decode(body), ensure_ascii=False, default=str)
    return body.decode("utf-8", errors="replace")
