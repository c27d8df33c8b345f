"""The small map on an address card, drawn by Mapnik from the register's own data: the buildings and
streets around the door, the address's building highlighted, the door marked, neighbours' numbers.

Mapnik comes through `geo.mapnik_env`, Kent's one guarded import of it: importing the PyPI
`mapnik` wheel repoints PROJ_LIB/GDAL_DATA at folders without proj.db, after which GeoDjango,
pyproj and rasterio in the same process cannot find their PROJ database; that module saves and
restores those variables around the import (and registers the DejaVu fonts). Mapnik itself never
reprojects here: the geometries are transformed into the local metric grid by GEOS/PROJ first,
and the map and every layer declare that same SRS."""

import functools
import json
from types import ModuleType
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Polygon

from numarataj.models import Adres, Csbm, Yapi

FONT = "DejaVu Sans Book"  # registered by geo.mapnik_env
SCREEN_PX_PER_MM = 96 / 25.4  # the styles below are sized for a 96 dpi screen


@functools.cache
def _mapnik() -> ModuleType | None:
    """Mapnik (imported with PROJ_LIB/GDAL_DATA kept for GeoDjango), or None where it is missing."""
    try:
        from geo import mapnik_env
    except ImportError:
        return None
    return mapnik_env.mapnik


def _collection(features: list[tuple[GEOSGeometry, dict]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(g.geojson), "properties": props} for g, props in features]})


def _layer(name: str, style: str, srs: str, features: list[tuple[GEOSGeometry, dict]]) -> str:
    if not features:
        return ""
    return (f'<Layer name="{name}" srs="{srs}"><StyleName>{style}</StyleName><Datasource>'
            f'<Parameter name="type">geojson</Parameter>'
            f'<Parameter name="inline">{escape(_collection(features))}</Parameter></Datasource></Layer>')


_STYLES = f"""
<Style name="yapi">
  <Rule><Filter>[hedef] = 1</Filter>
    <PolygonSymbolizer fill="#f4a6a0"/><LineSymbolizer stroke="#b0281a" stroke-width="1.6"/></Rule>
  <Rule><ElseFilter/><PolygonSymbolizer fill="#dcdcdc"/><LineSymbolizer stroke="#9a9a9a" stroke-width="0.6"/></Rule>
</Style>
<Style name="csbm">
  <Rule><LineSymbolizer stroke="#b8b8b8" stroke-width="11" stroke-linecap="round" stroke-linejoin="round"/>
    <LineSymbolizer stroke="#ffffff" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/></Rule>
</Style>
<Style name="csbm_ad">
  <Rule><TextSymbolizer face-name="{FONT}" size="11" fill="#1b1f24" placement="line" halo-fill="#ffffff"
    halo-radius="1.5" max-char-angle-delta="25" spacing="400">[ad]</TextSymbolizer></Rule>
</Style>
<Style name="kapi">
  <Rule><Filter>[hedef] = 1</Filter>
    <MarkersSymbolizer fill="#c0271a" stroke="#ffffff" stroke-width="1.5" width="13" height="13"
      allow-overlap="true"/>
    <TextSymbolizer face-name="{FONT}" size="12" fill="#c0271a" halo-fill="#ffffff" halo-radius="2"
      dy="-12" allow-overlap="true">[no]</TextSymbolizer></Rule>
  <Rule><ElseFilter/>
    <TextSymbolizer face-name="{FONT}" size="9" fill="#555555" halo-fill="#ffffff" halo-radius="1.5">[no]
    </TextSymbolizer></Rule>
</Style>"""


def render_png(adres: Adres, *, width: int = 640, height: int = 480, radius_m: float = 80.0,
               px_per_mm: float = SCREEN_PX_PER_MM) -> bytes | None:
    """A PNG of the surroundings of a door, `radius_m` around it (wider side); None without Mapnik.
    `px_per_mm` above screen resolution scales lines, markers and labels with it, for print."""
    mapnik = _mapnik()
    if mapnik is None:
        return None
    local = settings.LOCAL_SRID
    centre = adres.geom.transform(local, clone=True)
    half_w = radius_m
    half_h = radius_m * height / width
    box = Polygon.from_bbox((centre.x - half_w, centre.y - half_h, centre.x + half_w, centre.y + half_h))
    box.srid = local
    search = box.transform(adres.geom.srid, clone=True)
    srs = f"epsg:{local}"

    def to_local(geom: GEOSGeometry) -> GEOSGeometry:
        return geom.transform(local, clone=True)

    buildings = [(to_local(y.geom), {"hedef": int(y.pk == adres.yapi_id)})
                 for y in Yapi.objects.filter(geom__bboverlaps=search).only("id", "geom")[:2000]]
    streets = [(to_local(c.geom), {"ad": c.tam_ad})
               for c in Csbm.objects.filter(geom__bboverlaps=search).only("id", "tur", "ad", "numara", "geom")[:500]]
    doors = [(to_local(a.geom), {"no": a.kapi_no, "hedef": int(a.pk == adres.pk)})
             for a in Adres.objects.filter(geom__intersects=search).only("id", "kapi_no", "geom")[:2000]]
    if not any(props["hedef"] for _, props in doors):
        doors.append((centre, {"no": adres.kapi_no, "hedef": 1}))
    doors.sort(key=lambda f: f[1]["hedef"])  # the address last, drawn on top
    xml = (f'<Map srs="{srs}" background-color="#f7f5ef">{_STYLES}'
           + _layer("csbm", "csbm", srs, streets) + _layer("yapi", "yapi", srs, buildings)
           + _layer("csbm_ad", "csbm_ad", srs, streets) + _layer("kapi", "kapi", srs, doors) + "</Map>")
    m = mapnik.Map(width, height)
    mapnik.load_map_from_string(m, xml)
    m.zoom_to_box(mapnik.Box2d(*box.extent))
    image = mapnik.Image(width, height)
    mapnik.render(m, image, px_per_mm / SCREEN_PX_PER_MM)
    return image.to_string("png")
